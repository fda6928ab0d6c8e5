// The Flesch–Kincaid grade of English text, for testing that patient-facing words read at
// about a 6th-grade level (grade ≤ 7). Syllables by vowel groups: the usual approximation.
// Pure; one copy for every readability test.

/** Syllables of an English word, by vowel groups. */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const groups = w
    .replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '')
    .replace(/^y/, '')
    .match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

export function fleschKincaidGrade(text: string): number {
  const sentences = Math.max(1, text.split(/[.!?:]+/).filter((s) => s.trim()).length);
  const words = text.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w));
  const syl = words.reduce((n, w) => n + syllables(w), 0);
  return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
}
