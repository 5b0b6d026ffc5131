// Site-wide behaviour. Loaded as a file: the Content Security Policy forbids inline scripts.
document.addEventListener("DOMContentLoaded", () => {
  // htmx sends the CSRF token with every non-GET request.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
});
