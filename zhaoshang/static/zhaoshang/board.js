// The kanban board (projects/board.html): a card dragged to another column posts the move (htmx);
// the server answers with the card as it now is, and the card lands in the column of its stage:
// the new one, or back where it came from with the reason written on it.
document.addEventListener("DOMContentLoaded", function () {
  const board = document.getElementById("board");
  if (!board || !window.Sortable || !window.htmx) return;
  // Sortable leaves a style attribute on the dragged card; htmx would copy it onto the new card
  // while settling, an inline style the Content-Security-Policy refuses: settle without style.
  window.htmx.config.attributesToSettle = ["class", "width", "height"];
  const token = board.querySelector("input[name=csrfmiddlewaretoken]").value;
  const column = function (stage) {
    return board.querySelector('.board-list[data-stage="' + stage + '"]');
  };
  const bump = function (stage, by) {
    const badge = board.querySelector('[data-count-of="' + stage + '"]');
    if (badge) badge.textContent = String(Number(badge.textContent) + by);
  };
  board.querySelectorAll(".board-list").forEach(function (list) {
    window.Sortable.create(list, {
      group: "board",
      sort: false,
      draggable: ".board-card[data-move-url]",
      onEnd: function (event) {
        if (event.from === event.to) return;
        const card = event.item;
        const from = event.from.dataset.stage;
        card.classList.add("opacity-50");
        window.htmx
          .ajax("POST", card.dataset.moveUrl, {
            source: card,
            target: card,
            swap: "outerHTML",
            values: { to_stage: event.to.dataset.stage },
            headers: { "X-CSRFToken": token },
          })
          .then(function () {
            const fresh = document.getElementById(card.id);
            if (!fresh || fresh === card) {
              // not answered with a card (refused outright): back where it was
              card.classList.remove("opacity-50");
              event.from.prepend(card);
              return;
            }
            const stage = fresh.dataset.stage;
            column(stage).prepend(fresh);
            if (stage !== from) {
              bump(from, -1);
              bump(stage, 1);
            }
          });
      },
    });
  });
});
