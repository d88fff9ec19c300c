// Progress indication, the console's only script (everything works without it): a form with data-progress="ID"
// shows element ID while its POST runs and refuses a second submission.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-progress]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.dataset.busy) {
        event.preventDefault();
        return;
      }
      form.dataset.busy = 'true';
      var progress = document.getElementById(form.dataset.progress);
      if (progress) {
        progress.hidden = false;
      }
      // After the browser has taken the clicked button into the form data
      setTimeout(function () {
        form.querySelectorAll('input[type=submit], button[type=submit]').forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
    });
  });
});
