// "Read this to me": for families who would rather listen than read. Each [data-ff-read-aloud]
// element names (by id) the text it reads, and says its button's words in
// data-ff-read-aloud-label, so that the page's translation gives them. The button is added only
// where the browser can speak the page's language: a button that cannot work is worse than none,
// and without this script, or without speech, the page is simply read as it is.
const synth = window.speechSynthesis;
const language = document.documentElement.lang || "en";
const placed = document.querySelectorAll("[data-ff-read-aloud]");

// A voice for "cy" may say "cy-GB" (or "cy_GB" on some systems): the language is what matters.
const base = (tag) => (tag || "").replace("_", "-").toLowerCase().split("-")[0];
// A measure's wording may be in the person's language inside a page in English: each text is
// read in its own language.
const languageOf = (element) => element.closest("[lang]")?.lang || language;
const canSpeak = (tag) => synth.getVoices().some((voice) => base(voice.lang) === base(tag));

const addButtons = () => {
  for (const place of placed) {
    const target = document.getElementById(place.dataset.ffReadAloud);
    if (!target || place.querySelector("button") || !canSpeak(languageOf(target))) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "govuk-button govuk-button--secondary ff-read-aloud";
    button.textContent = place.dataset.ffReadAloudLabel || "Read this to me";
    button.addEventListener("click", () => {
      // A second press starts again rather than queueing the same words behind the first.
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(target.innerText.trim());
      utterance.lang = languageOf(target);
      synth.speak(utterance);
    });
    place.append(button);
  }
};

// Browsers load their voices late: the list may be empty until voiceschanged.
const offer = () => {
  addButtons();
  return [...placed].every((place) => place.querySelector("button"));
};

if (synth && typeof window.SpeechSynthesisUtterance === "function" && placed.length && !offer()) {
  synth.addEventListener("voiceschanged", offer);
}
