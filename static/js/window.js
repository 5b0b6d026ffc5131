// Window registration: add and remove parties and register, all from the keyboard.
// The shortcuts are listed on the page itself (templates/intake/window.html).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("window-form");
  if (!form) return;
  const rows = document.getElementById("party-rows");
  const template = document.getElementById("party-template");
  const total = form.querySelector("input[name='party-TOTAL_FORMS']");

  function changed() {
    // The side panel (earlier cases, look-alikes) follows every change.
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function addParty(role) {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    const select = row.querySelector("select[name$='-role']");
    if (select) select.value = role;
    const name = row.querySelector("input[name$='-name']");
    if (name) name.focus();
  }

  function removeParty(row) {
    // Emptied and hidden rather than taken out: the form numbers stay continuous, and an
    // empty row is no party.
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    row.hidden = true;
    const next = form.querySelector("[data-add-party]");
    if (next) next.focus();
    changed();
  }

  // Once the form is being sent, the side panel asks nothing more: the page is leaving.
  let leaving = false;
  form.addEventListener("submit", () => { leaving = true; });
  form.addEventListener("htmx:confirm", (event) => {
    if (leaving) event.preventDefault();
  });

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-party]");
    if (add) {
      addParty(add.dataset.addParty);
      return;
    }
    const remove = event.target.closest("[data-remove-party]");
    if (remove) removeParty(remove.closest("[data-party-row]"));
  });

  const shortcuts = { KeyA: "applicant", KeyR: "respondent", KeyO: "other" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (shortcuts[event.code]) {
      event.preventDefault();
      addParty(shortcuts[event.code]);
    } else if (event.code === "KeyP") {
      event.preventDefault();
      const place = form.querySelector("input[name='place']");
      if (place) place.focus();
    }
  });

  // After a refused registration, the cursor starts at the first field in error.
  const invalid = form.querySelector(".invalid-feedback");
  if (invalid) {
    const field = invalid.parentElement.querySelector("input, select, textarea");
    if (field) field.focus();
  }
});
