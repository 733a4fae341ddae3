// A following phone's watch on its room (ui/room.py: _watcher, mounted by start_run). About every
// data.every_ms it asks the server for the room's version, a plain HTTP request (app.py's
// /room-version/ route), not a Streamlit run; when the version is not the one this page shows
// (data.seen), or the room has ended, it asks Streamlit for one rerun of the app, and the rerun
// brings the presenter's view. One request at a time: the next is asked for after the answer.
// data: {room: its code, seen: the version on screen, every_ms}; nothing here is visitor text.
const watches = new Map(); // the component's key -> its stop(): one watch per key, whatever redraws it

export default function ({ key, data, setTriggerValue }) {
  watches.get(key)?.();
  // The route is not under the page's path: Streamlit serves st.App's routes from the root.
  const url = new URL("/room-version/" + encodeURIComponent(data.room), window.location.origin);
  let stopped = false;
  let timer = 0;
  let askedAt = -Infinity;

  async function look() {
    try {
      const answer = await fetch(url, { cache: "no-store" });
      // 404: the room has ended (the route's own answer); anything else not OK: ask again later.
      const version = answer.status === 404 ? "gone" : answer.ok ? (await answer.json()).version : undefined;
      const now = Date.now();
      if (!stopped && version !== undefined && version !== data.seen && now - askedAt >= 5000) {
        askedAt = now; // one rerun asked for; its run draws this watch again with the new seen
        setTriggerValue("moved", version);
      }
    } catch (err) {
      // the server is away (a replica restarting): ask again at the next look
    }
    if (!stopped) timer = setTimeout(look, data.every_ms);
  }

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (watches.get(key) === stop) watches.delete(key);
  };
  watches.set(key, stop);
  timer = setTimeout(look, data.every_ms);
  return stop;
}
