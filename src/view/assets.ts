// The viewer's style sheet and its one script, served as files (/assets/...). They live in a module rather than
// beside it so `tsc` ships them in dist/ with no copy step. The script only adds conveniences (expand all, submit
// a filter when a select changes); every page works without it, and the Content-Security-Policy allows no other
// script, so text from a trajectory can never run as one.

export const STYLE_CSS = `
:root { --fg:#1d2329; --muted:#5f6b76; --line:#d8dee4; --bg:#fff; --soft:#f5f7f9; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --accent:#0969da; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header.top { display:flex; gap:18px; align-items:center; padding:8px 18px; border-bottom:1px solid var(--line); background:var(--soft); }
header.top a { color:var(--fg); text-decoration:none; font-weight:500; }
header.top a.brand { font-weight:700; }
main { padding:14px 18px 40px; max-width:1500px; }
h1 { font-size:20px; margin:4px 0 12px; word-break:break-all; }
h2 { font-size:16px; margin:22px 0 8px; }
h3 { font-size:14px; margin:14px 0 6px; }
a { color:var(--accent); }
table { border-collapse:collapse; margin:6px 0 12px; }
th, td { text-align:left; padding:3px 10px 3px 0; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--muted); }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
.muted { color:var(--muted); }
.ok { color:var(--ok); font-weight:600; }
.bad { color:var(--bad); font-weight:600; }
.warn { color:var(--warn); }
.grid { display:grid; grid-template-columns:repeat(auto-fill, minmax(360px, 1fr)); gap:8px 28px; }
.cols3 { display:grid; grid-template-columns:repeat(3, minmax(0, 1fr)); gap:12px; }
.cols2 { display:grid; grid-template-columns:repeat(2, minmax(0, 1fr)); gap:12px; }
.card.wide { grid-column:1 / -1; }
.card { border:1px solid var(--line); border-radius:6px; padding:8px 12px; background:var(--bg); min-width:0; }
.stats { display:flex; flex-wrap:wrap; gap:10px 26px; margin:6px 0 10px; }
.stats div b { display:block; font-size:18px; }
pre { margin:4px 0; padding:6px 8px; background:var(--soft); border-radius:4px; overflow:auto; max-height:480px; white-space:pre-wrap; word-break:break-word; font:12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre.diff { white-space:pre; }
.diff .add { background:#dafbe1; display:block; }
.diff .del { background:#ffebe9; display:block; }
.diff .hunk { color:#8250df; display:block; }
.diff .meta { color:var(--muted); font-weight:600; display:block; }
form.filters { display:flex; flex-wrap:wrap; gap:6px 12px; align-items:end; margin:4px 0 12px; padding:8px; background:var(--soft); border-radius:6px; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
select, input[type=text], input[type=search] { font:inherit; padding:2px 4px; min-width:120px; }
.msg { border-left:4px solid var(--line); padding:4px 10px; margin:10px 0; }
.msg.system { border-color:#8c959f; }
.msg.user { border-color:#0969da; }
.msg.assistant { border-color:#8250df; }
.msg.tool { border-color:#1a7f37; }
.msg.tool.error { border-color:var(--bad); }
.msg .head { font-size:12px; color:var(--muted); display:flex; gap:12px; flex-wrap:wrap; }
.msg .head b { color:var(--fg); }
.tag { display:inline-block; padding:0 6px; border-radius:10px; font-size:11px; background:var(--soft); border:1px solid var(--line); color:var(--fg); }
.tag.exploration { background:#ddf4ff; } .tag.implementation { background:#fff8c5; } .tag.verification { background:#dafbe1; }
.tag.reasoning { background:#fbefff; } .tag.navigation { background:#eef1f4; } .tag.submission { background:#ffebe9; }
.pager { display:flex; gap:12px; align-items:center; margin:8px 0; }
details > summary { cursor:pointer; color:var(--muted); }
img.chart { max-width:100%; height:auto; }
.svgchart text { font:11px system-ui, sans-serif; fill:var(--fg); }
.notice { padding:8px 12px; background:#fff8c5; border:1px solid #d4a72c; border-radius:6px; margin:8px 0; }
`;

export const APP_JS = `
"use strict";
document.addEventListener("change", function (ev) {
  var t = ev.target;
  if (t && t.matches && t.matches("form.filters select")) t.form.requestSubmit();
});
document.addEventListener("click", function (ev) {
  var t = ev.target;
  if (!t || !t.matches) return;
  if (t.matches("button[data-expand]")) {
    var open = t.getAttribute("data-expand") === "open";
    document.querySelectorAll("details.obs").forEach(function (d) { d.open = open; });
  }
});
`;
