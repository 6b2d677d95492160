/* Entry pages (Agenda, Kegiatan): refuse an evidence file over the size limit before it is sent, and show a
   refused htmx request (403 not allowed, 413 too large) inside the form that sent it. The pages work without
   this script: the server answers the same refusals with a page or an inline message. */
(function () {
  "use strict";

  function megabytes(bytes) {
    var text = String(Math.round(bytes / 104857.6) / 10);  // one decimal at most, as the server writes it
    return document.documentElement.lang === "en" ? text : text.replace(".", ",");
  }

  /* Mark an oversize file input invalid (which keeps its form from being sent) and say why beside it. */
  function checkSize(input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    var file = input.files && input.files[0];
    var message = "";
    if (file && limit && file.size > limit) {
      message = (input.getAttribute("data-too-large") || "")
        .replace("{name}", file.name).replace("{size}", megabytes(file.size));
    }
    input.setCustomValidity(message);
    input.setAttribute("aria-invalid", message ? "true" : "false");
    var slot = input.parentElement.querySelector(".file-too-large");
    if (slot) {
      slot.textContent = message;
      slot.hidden = !message;
    }
    return !message;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      checkSize(input);
    }
  });

  /* A form sent without the browser's own check (a script, an old browser) still stops here, before htmx
     or the browser sends it. */
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll ? event.target.querySelectorAll("input[type=file][data-max-bytes]") : [];
    for (var i = 0; i < inputs.length; i += 1) {
      if (!checkSize(inputs[i])) {
        event.preventDefault();
        event.stopPropagation();
        inputs[i].focus();
        return;
      }
    }
  }, true);

  /* htmx swaps 403 into the live region and leaves 413 unswapped; on these pages the message belongs in
     the form the user sent, where their eyes are. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status !== 403 && status !== 413) {
      return;
    }
    // detail.elt is the element swapped into (the row, the page body); the request's own is the form sent
    var source = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    var form = source && source.closest ? source.closest("form") : null;
    var slot = form ? form.querySelector(".form-alert") : null;
    if (!slot) {
      slot = document.getElementById("flash");
    }
    if (!slot) {
      return;
    }
    event.detail.target = slot;
    event.detail.swapOverride = "innerHTML";
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("form-alert") && target.scrollIntoView) {
      target.scrollIntoView({block: "nearest"});
    }
  });
})();
