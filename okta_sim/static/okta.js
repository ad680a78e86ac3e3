// The console's little JavaScript: everything works without it, this makes it feel like Okta's.
"use strict";

// A dialog the server rendered open over its page becomes modal (the page behind it inert);
// Escape follows its Cancel link, since closing a dialog means going back to the page.
document.querySelectorAll("dialog[data-modal][open]").forEach((dialog) => {
  dialog.close();
  dialog.showModal();
  dialog.addEventListener("cancel", (event) => {
    const back = dialog.querySelector("[data-cancel]") || dialog.querySelector("a.close");
    if (back) {
      event.preventDefault();
      window.location.href = back.href;
    }
  });
});

// A search box with data-filter="selector" hides the rows it names that do not match, as one types.
document.querySelectorAll("input[data-filter]").forEach((input) => {
  const rows = document.querySelectorAll(input.dataset.filter);
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLowerCase();
    rows.forEach((row) => {
      row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
    });
  });
});

// A section of the side menu remembers whether it was open, as Okta's does, across pages.
document.querySelectorAll("nav.sidemenu details[data-section]").forEach((section) => {
  const key = "okta-lab-menu-" + section.dataset.section;
  const stored = window.sessionStorage.getItem(key);
  if (stored !== null && !section.querySelector('[aria-current="page"]')) section.open = stored === "open";
  section.addEventListener("toggle", () => window.sessionStorage.setItem(key, section.open ? "open" : "closed"));
});
