// A form with data-confirm asks before it is sent (verifying funds: the amount is in the question).
document.addEventListener("submit", function (event) {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
