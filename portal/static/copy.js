// Copy-to-clipboard buttons; without JavaScript the text stays selectable.
document.querySelectorAll(".copy-button").forEach(function (button) {
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.target);
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
      });
    } else {
      field.select();
    }
  });
});
