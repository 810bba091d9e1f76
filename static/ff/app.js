// Enhancements only: every page works without this file.
import { initAll } from "/assets/govuk-frontend.min.js";

initAll();

// A line (range input) and its number box show the same mark: a tap or a drag fills the box, and
// typing a mark measured from a paper form moves the line. Only the box is sent, so an item nobody
// touched arrives empty and is reported as missing. The lines are drawn hidden and shown here:
// without this script they could not fill the boxes. A line shows its thumb only once marked
// (data-ff-marked): a range always has a value, and a thumb resting at 5 looked like an answer.
for (const row of document.querySelectorAll("[data-ff-line]")) {
  const track = row.querySelector(".ff-line__track");
  const line = track.querySelector("input[type=range]");
  const box = row.querySelector("input[data-ff-box]");
  track.hidden = false;
  const show = (marked) => {
    line.toggleAttribute("data-ff-marked", marked);
    line.setAttribute("aria-valuetext", marked ? Number(line.value).toFixed(1) : "Not marked");
  };
  const fromLine = () => {
    box.value = Number(line.value).toFixed(1);
    show(true);
  };
  const fromBox = () => {
    const value = Number(box.value);
    const typed = box.value.trim() !== "" && value >= 0 && value <= 10;
    if (typed) line.value = value;
    show(typed);
  };
  fromBox();
  line.addEventListener("input", fromLine);
  // A tap, or a short drag that ends where the line already stood, changes nothing and so fires
  // no input event: lifting the finger or the button is the mark. A touch that became a scroll
  // is cancelled, not lifted, and marks nothing.
  line.addEventListener("pointerup", fromLine);
  box.addEventListener("input", fromBox);
}

// Sections of people not at the session are hidden, not removed: what was typed is kept if the
// practitioner ticks the person again.
const present = document.querySelectorAll("input[name=present]");
function showPresent() {
  for (const box of present) {
    const section = document.getElementById(`person-${box.value}`);
    if (section) section.hidden = !box.checked;
  }
}
for (const box of present) box.addEventListener("change", showPresent);
showPresent();

// The recovery codes page's print button: drawn hidden, since without a script it does nothing
// (the browser's own print still works).
for (const button of document.querySelectorAll("[data-ff-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
