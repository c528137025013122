// Enhancements only: every page works without this file.
// On a play page, show "Why it does not apply" only for items marked not applicable
// (or that already have a reason or an error), so long checklists stay short.
document.querySelectorAll(".pt-item").forEach(function (item) {
  var status = item.querySelector("select[name$='-status']");
  var reason = item.querySelector("textarea[name$='-justification']");
  if (!status || !reason) return;
  var group = reason.closest(".usa-form-group");
  function update() {
    var needed = status.value === "not_applicable" || reason.value.trim() !== "" ||
      group.classList.contains("usa-form-group--error");
    group.hidden = !needed;
  }
  status.addEventListener("change", update);
  update();
});

// A page that answers a form with a problem opens on the problem (the USWDS and GOV.UK error
// summary pattern): focus moves to the save-conflict panel or the error summary, so a screen
// reader starts there. Without this script, autofocus on them does the same.
var problem = document.getElementById("conflicts") || document.getElementById("error-summary");
if (problem && document.activeElement !== problem) problem.focus();

// A link in the error summary focuses its field and brings the field's whole group into view,
// label (or legend), hint and error first, rather than the box alone at the top of the screen.
// Without this script the browser follows the link and scroll-margin-top in app.css leaves
// room for the label above the field.
document.querySelectorAll("#error-summary a[href^='#']").forEach(function (link) {
  link.addEventListener("click", function (event) {
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    (field.closest(".usa-form-group") || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
});

// The report job page polls the job's status instead of reloading itself (a reload threw away
// focus and made a screen reader start again). The progress updates in place and the stage
// line, the page's one live region, speaks when the stage changes. When the job finishes (or
// starts or stops waiting for a worker) the page's new state replaces the old in place, and
// once the report is ready or has failed, focus moves to the heading that says so.
function watchReportJob(result) {
  var failures = 0;
  function show(name, value) {
    result.querySelectorAll("[data-job='" + name + "']").forEach(function (element) {
      if (element.textContent !== String(value)) element.textContent = value;
    });
  }
  function reveal() {
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("job-result");
        if (!fresh) { window.location.reload(); return; }
        fresh = document.importNode(fresh, true);
        result.replaceWith(fresh);
        document.title = page.title;
        if (fresh.dataset.statusUrl) { watchReportJob(fresh); return; }
        var heading = document.getElementById("job-heading");
        if (heading) heading.focus();
      })
      .catch(function () { window.location.reload(); });
  }
  function poll() {
    fetch(result.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        if (job.state !== result.dataset.state) { reveal(); return; }
        show("status_label", job.status_label);
        show("progress", job.progress);
        show("stage", job.stage);
        var bar = result.querySelector("progress");
        if (bar) { bar.value = job.progress; bar.textContent = job.progress + "%"; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        // Signed out, or the server is away: try a few more times, then leave "Check now".
        failures += 1;
        if (failures < 5) window.setTimeout(poll, 2000 * failures);
      });
  }
  window.setTimeout(poll, 2000);
}
var reportJob = document.querySelector("#job-result[data-status-url]");
if (reportJob && window.fetch) watchReportJob(reportJob);
