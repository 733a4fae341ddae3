"""core.charts.optimise: the (μ, σ) plane under a climb (its frame, the path drawn, the marks and the
sentence that says where the path goes), and the gradient chart."""
import numpy as np
import pytest

from core.ascent import Point, ascend
from core.charts import optimise
from core.charts.normal import Mark
from core.formatting import sig

X = (48.8292, 49.3087, 52.4836, 53.2384, 57.6151)


def test_plane_framing_contains_the_path():
    path = [Point(0, 10.0, 40.0, 0, 0, 0), Point(1, 90.0, 0.2, 0, 0, 0)]
    mus, sigmas = optimise.plane_framing(X, path)
    assert mus[0] < 10 and mus[-1] > 90 and 0 < sigmas[0] < 0.2 and sigmas[-1] > 40


def test_same_spot_is_relative_to_the_plane():
    mus, sigmas = np.linspace(0, 100, 11), np.linspace(1, 11, 11)
    assert optimise.same_spot((50, 5), (52, 5.2), mus, sigmas)
    assert not optimise.same_spot((50, 5), (60, 5), mus, sigmas)
    assert not optimise.same_spot((50, 5), (50, 6), mus, sigmas)


def test_merge_marks_joins_labels_of_spots_that_touch():
    mus, sigmas = np.linspace(0, 100, 11), np.linspace(1, 11, 11)
    mle, near, far = Mark(50, "MLE", "red", 5), Mark(51, "step 9", "grey", 5.1), Mark(10, "start", "black", 2)
    assert [m.label for m in optimise.merge_marks([mle, near, far], mus, sigmas, top=True)] == ["step 9 ≈ MLE", "start"]
    assert [m.label for m in optimise.merge_marks([mle, near, far], mus, sigmas, top=False)] == ["step 9 near MLE", "start"]
    merged = optimise.merge_marks([far, Mark(11, "step 2", "grey", 2.1)], mus, sigmas, top=False)
    assert merged == (Mark(10, "step 2 ≈ start", "black", 2),)  # where and in what colour the first one is


def _inside(view, mu, sigma, slack=1e-9):
    return (view.mus[0] - slack <= mu <= view.mus[-1] + slack
            and view.sigmas[0] - slack <= sigma <= view.sigmas[-1] + slack)


@pytest.mark.parametrize("start, lr, steps, left", [((45, 0.5), 0.5, 1, 1), ((45, 0.1), 20, 1, 1),
                                                    ((45, 8), 20, 200, 3)])
def test_a_path_thrown_far_out_leaves_the_chart(start, lr, steps, left):
    path = ascend(X, start, lr, steps).path
    view = optimise.ascent_view(X, path, top=False)
    mu_hat, sigma_hat = np.mean(X), np.std(X)
    assert view.left_at is path[left] and view.left_at.sigma > 100 * sigma_hat
    # the frame holds θ̂ and every point before the throw, and the drawn line ends on its edge
    assert _inside(view, mu_hat, sigma_hat)
    assert all(_inside(view, p.mu, p.sigma) for p in path[:left])
    assert [(p.mu, p.sigma) for p in path[:left]] == list(view.path[:-1])
    end, a, b = np.array(view.path[-1]), np.array(view.path[-2]), np.array([path[left].mu, path[left].sigma])
    assert _inside(view, *end)
    assert min(abs(end[0] - view.mus[[0, -1]]).min(), abs(end[1] - view.sigmas[[0, -1]]).min()) < 1e-9
    cross = (end - a)[0] * (b - a)[1] - (end - a)[1] * (b - a)[0]  # on the segment from a to b
    assert abs(cross) <= 1e-9 * np.linalg.norm(b - a) * np.linalg.norm(end - a) + 1e-12
    # the far point is not marked, and nothing is called the MLE but the MLE
    labels = [m.label for m in view.marks]
    assert labels == ["MLE", "start"]
    assert view.sigmas[-1] < 20 * sigma_hat  # not stretched out to the far point
    # the sentence says where the path left the chart, and where the point is now if it went on
    out, now = path[left], path[-1]
    said = optimise.whereabouts(view, path)
    assert f"step {out.step} lands far off it, at μ = {sig(out.mu, 4)}, σ = {sig(out.sigma, 4)}" in said
    assert said.endswith(".") if now is out else f"after {steps} steps the point is at μ = {sig(now.mu, 4)}" in said


def test_a_path_that_stays_near_is_drawn_whole():
    path = ascend(X, (45, 8), 5, 200).path  # σ swings out to about 45 and back
    view = optimise.ascent_view(X, path, top=False)
    assert view.left_at is None and view.path == tuple((p.mu, p.sigma) for p in path)
    assert all(_inside(view, p.mu, p.sigma) for p in path)
    now = path[-1]
    assert optimise.whereabouts(view, path) == (
        f"The white line is the path of 200 steps from the start (μ = 45, σ = 8) to μ = {now.mu:.4f}, "
        f"σ = {now.sigma:.4f}.")


def test_marks_merge_into_the_mle_only_at_the_top():
    top = ascend(X, (45, 8), 0.5, 200).path
    assert [m.label for m in optimise.ascent_view(X, top, top=True).marks] == ["step 200 ≈ MLE", "start"]
    bounce = ascend(X, (45, 8), 2.1, 200).path  # σ bounces 0.2 away from σ̂: one spot on this chart
    mus, sigmas = optimise.plane_framing(X, bounce)
    assert optimise.same_spot((np.mean(X), np.std(X)), (bounce[-1].mu, bounce[-1].sigma), mus, sigmas)
    labels = [m.label for m in optimise.ascent_view(X, bounce, top=False).marks]
    assert labels == ["step 200 near MLE", "start"] and not any("≈ MLE" in label for label in labels)
    still = ascend(X, (45, 8), 0.001, 200).path  # hardly moved: the current point sits on the start
    assert [m.label for m in optimise.ascent_view(X, still, top=False).marks] == ["MLE", "start ≈ step 200"]
    alone = ascend(X, (45, 8), 0.5, 0).path
    view = optimise.ascent_view(X, alone, top=False)
    assert [m.label for m in view.marks] == ["MLE", "start"]
    assert optimise.whereabouts(view, alone) == "No steps yet: the black point is the start, μ = 45, σ = 8."
    with pytest.raises(ValueError):
        optimise.ascent_view(X, (), top=False)


def test_the_gradient_chart_leaves_out_what_a_log_axis_cannot_hold():
    chart = optimise.gradient_norm_chart([0, 1, 2, 3], [1.0, 0.0, np.inf, 1e-3])
    assert list(chart.data["step"]) == [0, 3] and list(chart.data["norm"]) == [1.0, 1e-3]


def test_the_gradient_axis_writes_powers_of_ten_not_e_notation():
    import json

    chart = optimise.gradient_norm_chart([0, 1, 2, 3], [0.57, 3e-3, 2e-9, 1e-15])
    spec = json.loads(chart.to_json())
    axis = spec["encoding"]["y"]["axis"]
    assert axis["values"][0] <= 1e-14 and axis["values"][-1] == 1.0 and len(axis["values"]) <= 9
    assert "format" not in axis and "⁻" in axis["labelExpr"]
    assert all(np.log10(v).is_integer() for v in axis["values"])
