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
