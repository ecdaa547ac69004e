// A form with data-confirm asks before it is sent (verifying funds: the amount is in the question).
document.addEventListener("submit", function (event) {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// A "select all" box (data-select-all="NAME") ticks or clears every checkbox named NAME on the page
// (the lines of the funds queue to verify together).
document.addEventListener("change", function (event) {
  const name = event.target.dataset && event.target.dataset.selectAll;
  if (!name) return;
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
