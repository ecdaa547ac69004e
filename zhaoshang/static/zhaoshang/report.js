// The progress report's draft is never lost: saved while the operator types, before any other
// form of the page (funds, files, submit) is sent, and when the page is left; a warning stands
// before leaving while a change is not yet saved.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = document.querySelector("[data-autosave-status]");
  const words = form.dataset;
  const target = form.action + "?background=1";
  let dirty = false;
  let timer = null;

  function say(text, problem) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(problem));
  }

  async function save() {
    clearTimeout(timer);
    if (!dirty) return true;
    dirty = false;
    try {
      const response = await fetch(target, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      const answer = await response.json();
      say(answer.message, !answer.saved);
      if (!answer.saved) dirty = true;
      return answer.saved;
    } catch (error) {
      dirty = true;
      say(words.offline, true);
      return false;
    }
  }

  form.addEventListener("input", function () {
    dirty = true;
    say(words.unsaved, false);
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });

  // Adding funds, attaching a photo or submitting reloads the page: save the typing first.
  document.querySelectorAll("form[data-saves-draft]").forEach(function (other) {
    other.addEventListener("submit", async function (event) {
      if (!dirty) return;
      event.preventDefault();
      if (await save()) other.submit();
    });
  });

  window.addEventListener("pagehide", function () {
    if (dirty) navigator.sendBeacon(target, new FormData(form));
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
