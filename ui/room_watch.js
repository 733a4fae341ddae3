// A following phone's watch on its room (ui/room.py: watch). Every data.every_ms it asks the
// server for the room's version, a plain HTTP request (app.py's /room-version/ route), not a
// Streamlit run; when the version is not the one this page shows (data.seen), or the room is
// gone, it asks Streamlit for one rerun of the app, and the rerun brings the presenter's view.
// data: {room: its code, seen: the version on screen, every_ms}; nothing here is visitor text.
const watches = new Map(); // the component's key -> its timer: one timer per watch, whatever redraws it

export default function ({ key, data, setTriggerValue }) {
  clearInterval(watches.get(key));
  const url = new URL("room-version/" + encodeURIComponent(data.room), window.location.href);
  let askedAt = 0;
  const timer = setInterval(async () => {
    if (Date.now() - askedAt < 5000) return; // one rerun asked for; a new seen comes with it
    try {
      const answer = await fetch(url, { cache: "no-store" });
      const version = answer.status === 404 ? "gone" : (await answer.json()).version;
      if (version !== undefined && version !== data.seen) {
        askedAt = Date.now();
        setTriggerValue("moved", version);
      }
    } catch (err) {
      // the server is away (a replica restarting): ask again at the next tick
    }
  }, data.every_ms);
  watches.set(key, timer);
  return () => {
    clearInterval(timer);
    if (watches.get(key) === timer) watches.delete(key);
  };
}
