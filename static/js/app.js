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
