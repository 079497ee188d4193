// Snowball English (Porter2) stemmer, for query words the index has not seen. Words the
// index has seen are stemmed from its vocabulary map instead (exactly as tantivy did).
// Defines the global `CasebookStem(word)`; loads as a classic script and in Node (vm).
(function (root) {
  'use strict';
  var V = 'aeiouy';
  var EXC1 = { skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl',
    gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky',
    news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
  var EXC2 = ['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed', 'evening'];
  var DOUBLES = ['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'];
  function isV(c) { return V.indexOf(c) >= 0; }
  function region(w, start) {
    for (var i = start + 1; i < w.length; i++) if (!isV(w[i]) && isV(w[i - 1])) return i + 1;
    return w.length;
  }
  function shortSyllableAt(w, i) { // syllable ending at index i (inclusive)
    if (i === 1) return isV(w[0]) && !isV(w[1]);
    return i >= 2 && !isV(w[i - 2]) && isV(w[i - 1]) && !isV(w[i]) && 'wxY'.indexOf(w[i]) < 0;
  }
  function isShort(w, r1) { return r1 >= w.length && shortSyllableAt(w, w.length - 1); }
  function ends(w, s) { return w.length >= s.length && w.slice(-s.length) === s; }
  function longest(w, list) {
    var best = '';
    for (var i = 0; i < list.length; i++) if (list[i].length > best.length && ends(w, list[i])) best = list[i];
    return best;
  }
  function hasVowel(s) { for (var i = 0; i < s.length; i++) if (isV(s[i])) return true; return false; }

  function stem(word) {
    if (word.length <= 2) return word;
    if (EXC1[word]) return EXC1[word];
    var w = word.replace(/^'/, '');
    if (w[0] === 'y') w = 'Y' + w.slice(1);
    for (var i = 1; i < w.length; i++) if (w[i] === 'y' && isV(w[i - 1])) w = w.slice(0, i) + 'Y' + w.slice(i + 1);
    var r1 = region(w, 0);
    var PREFIXES = ['gener', 'commun', 'arsen', 'past', 'univers', 'later', 'emerg', 'organ'];
    for (var p = 0; p < PREFIXES.length; p++) if (w.indexOf(PREFIXES[p]) === 0) r1 = PREFIXES[p].length;
    var r2 = region(w, r1);
    // Step 0
    var s = longest(w, ["'s'", "'s", "'"]);
    if (s) w = w.slice(0, -s.length);
    // Step 1a
    s = longest(w, ['sses', 'ied', 'ies', 'us', 'ss', 's']);
    if (s === 'sses') w = w.slice(0, -2);
    else if (s === 'ied' || s === 'ies') w = w.slice(0, -3) + (w.length > 4 ? 'i' : 'ie');
    else if (s === 's' && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    if (EXC2.indexOf(w) >= 0) return w;
    // Step 1b
    s = longest(w, ['eed', 'eedly', 'ed', 'edly', 'ing', 'ingly']);
    if (s === 'eed' || s === 'eedly') {
      if (w.length - s.length >= r1) w = w.slice(0, -s.length) + 'ee';
    } else if (s && hasVowel(w.slice(0, -s.length))) {
      w = w.slice(0, -s.length);
      if (ends(w, 'at') || ends(w, 'bl') || ends(w, 'iz')) w += 'e';
      else if (DOUBLES.indexOf(w.slice(-2)) >= 0) { if (!(w.length === 3 && isV(w[0]))) w = w.slice(0, -1); }
      else if (isShort(w, r1)) w += 'e';
    }
    // Step 1c
    if (w.length > 2 && (ends(w, 'y') || ends(w, 'Y')) && !isV(w[w.length - 2])) w = w.slice(0, -1) + 'i';
    // Step 2
    var STEP2 = { tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent', izer: 'ize',
      ization: 'ize', ational: 'ate', ation: 'ate', ator: 'ate', alism: 'al', aliti: 'al', alli: 'al',
      fulness: 'ful', ousli: 'ous', ousness: 'ous', iveness: 'ive', iviti: 'ive', biliti: 'ble',
      bli: 'ble', ogi: 'og', fulli: 'ful', lessli: 'less', li: '' };
    s = longest(w, Object.keys(STEP2));
    if (s && w.length - s.length >= r1) {
      var stemPart = w.slice(0, -s.length);
      if (s === 'ogi') { if (ends(stemPart, 'l')) w = stemPart + 'og'; }
      else if (s === 'li') { if (stemPart.length && 'cdeghkmnrt'.indexOf(stemPart[stemPart.length - 1]) >= 0) w = stemPart; }
      else w = stemPart + STEP2[s];
    }
    // Step 3
    var STEP3 = { tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic', ical: 'ic',
      ful: '', ness: '', ative: '' };
    s = longest(w, Object.keys(STEP3));
    if (s && w.length - s.length >= r1) {
      if (s === 'ative') { if (w.length - s.length >= r2) w = w.slice(0, -s.length); }
      else w = w.slice(0, -s.length) + STEP3[s];
    }
    // Step 4
    s = longest(w, ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent',
      'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion']);
    if (s && w.length - s.length >= r2) {
      if (s !== 'ion') w = w.slice(0, -s.length);
      else if ('st'.indexOf(w[w.length - 4]) >= 0 && w.length >= 4) w = w.slice(0, -3);
    }
    // Step 5
    if (ends(w, 'e')) {
      var base = w.slice(0, -1);
      if (base.length >= r2 || (base.length >= r1 && !shortSyllableAt(base, base.length - 1))) w = base;
    } else if (ends(w, 'll') && w.length - 1 >= r2) {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, 'y');
  }
  root.CasebookStem = stem;
})(typeof globalThis !== 'undefined' ? globalThis : this);
