// Drag a post to another day in the month or week view. The server decides
// whether the move is allowed; without JavaScript, the post's edit form moves it.
(function () {
  var token = document.querySelector("input[name=csrf_token]");
  var dragged = null;
  document.querySelectorAll("[data-move]").forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
    });
  });
  document.querySelectorAll("td[data-day]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      if (dragged) { event.preventDefault(); cell.classList.add("cal-drop"); }
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("cal-drop"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || !token) { return; }
      var form = document.createElement("form");
      form.method = "post";
      form.action = dragged.dataset.move;
      [["csrf_token", token.value], ["version", dragged.dataset.version],
       ["day", cell.dataset.day], ["next", location.pathname + location.search]
      ].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    });
  });
})();
