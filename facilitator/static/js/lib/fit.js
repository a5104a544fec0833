// Fitting the room screen to its window, whatever is in it. The screen is a grid exactly as
// tall as the window. What people write is drawn at the largest of a few sizes at which
// everything fits, down to a floor still readable from the back of a room; past the floor, a
// long list (the plan, a round, a mediation's terms) is shown a page at a time, each page
// held long enough to be read aloud. Everything here measures what the browser has laid
// out; no size is worked out by hand.

/** The sizes of what people write, in hundredths of the screen's height (`--u`): about
 * 37 px down to 24 px on a 1080p projector. 24 px there is a capital letter about 17 mm high on
 * a picture 2 m wide: twelve minutes of arc from 5 m away, over twice what good eyes need. */
export const STEPS = [3.4, 3.1, 2.8, 2.5, 2.2];

// How long a page stays: as long as reading it aloud takes (about 150 words a minute), never
// less than 12 seconds nor more than a minute.
const SECONDS_A_WORD = 0.4;
const SHORTEST = 12_000;
const LONGEST = 60_000;

/** Whether `node` ends above `bottom` (a y in the window) and is no wider than its box. */
export function fitsAbove(node, bottom) {
  return node.getBoundingClientRect().bottom <= bottom + 0.5 && node.scrollWidth <= node.clientWidth + 1;
}

/** The largest count in 0..n for which `fits(count)` holds, when more never fits better. */
export function largest(n, fits) {
  let low = 0;
  let high = n;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

function setShown(node, shown) {
  if (shown) delete node.dataset.paged;
  else node.dataset.paged = "out";
}

const isShown = (node) => node.dataset.paged !== "out";
const keyOf = (unit) => unit.dataset.key ?? unit.textContent;
const wordsIn = (unit) => unit.textContent.trim().split(/\s+/).length;

/**
 * `regions()`: the lists that may page, as they are drawn now, each
 * `{ name, node, units, groups, pager, news(unit) }`: `node` is the part of the screen that must
 * end above the bottom; `units` the items, in reading order; `groups` the boxes around them
 * (an outcome around its actions), shown while any of their items is; `pager` where "Page 1 of
 * 3" goes; `news(unit)` what a screen reader is told when that item is new.
 * `setStep(size)` sizes the type; `bottom()` is where the screen ends; `fitsAll()` whether the
 * rest of the content fits too; `pageOf(n, total)` says which page; `announce(text)` tells a
 * screen reader what is new, once (page turns are never announced).
 */
export function createFit({ regions, setStep, bottom, fitsAll, pageOf, announce }) {
  const paging = new Map(); // region name -> { scope, seen, pages, index }
  let timer = null;
  let flip = false;

  function groupsOf(region, units) {
    return region.groups().map((group) => [group, units.filter((unit) => unit !== group && group.contains(unit))]);
  }

  function refreshGroups(groups) {
    for (const [group, inner] of groups) setShown(group, inner.length === 0 || inner.some(isShown));
  }

  function showAll(region) {
    for (const unit of region.units()) setShown(unit, true);
    for (const group of region.groups()) setShown(group, true);
  }

  /** Pages of units, each as many as fit in order, at the current size. */
  function paginate(region, limit) {
    const units = region.units();
    const groups = groupsOf(region, units);
    for (const unit of units) setShown(unit, false);
    const pages = [];
    let page = [];
    for (const unit of units) {
      setShown(unit, true);
      refreshGroups(groups);
      if (page.length && !fitsAbove(region.node, limit)) {
        for (const other of page) setShown(other, false);
        pages.push(page);
        page = [];
      }
      page.push(unit);
    }
    if (page.length) pages.push(page);
    return { pages: pages.map((list) => list.map(keyOf)), groups };
  }

  function showPage(region, held) {
    const units = region.units();
    const onPage = new Set(held.pages[held.index] ?? units.map(keyOf));
    for (const unit of units) setShown(unit, onPage.has(keyOf(unit)));
    refreshGroups(groupsOf(region, units));
    const many = held.pages.length > 1;
    region.pager.hidden = !many;
    region.pager.textContent = many ? pageOf(held.index + 1, held.pages.length) : "";
  }

  /** Fit everything again: after each change and when the window is resized. `scope` names
   * what is on the screen (the stage): within one scope, an item that was not there before is
   * news, and its page is shown; a new scope starts at the first page and says nothing. */
  function fit(scope) {
    const shown = regions().filter((region) => region.node.checkVisibility());
    const news = [];
    const moved = new Set();
    for (const region of regions()) {
      showAll(region);
      const held = paging.get(region.name);
      const keys = shown.includes(region) ? region.units().map(keyOf) : [];
      if (!held || held.scope !== scope) {
        paging.set(region.name, { scope, seen: new Set(keys), pages: [keys], index: 0, fresh: [] });
        continue;
      }
      held.fresh = keys.filter((key) => !held.seen.has(key));
      for (const key of held.fresh) held.seen.add(key);
      const newest = region.units().find((unit) => keyOf(unit) === held.fresh.at(-1));
      if (newest) news.push(region.news(newest));
    }
    let step = 0;
    for (; step < STEPS.length; step += 1) {
      setStep(STEPS[step]);
      if (fitsAll() && shown.every((region) => fitsAbove(region.node, bottom()))) break;
    }
    for (const region of shown) {
      const held = paging.get(region.name);
      const pagesBefore = held.pages.length;
      held.pages = step < STEPS.length ? [region.units().map(keyOf)] : paginate(region, bottom()).pages;
      const fresh = held.fresh.at(-1);
      const landing = fresh === undefined ? -1 : held.pages.findIndex((page) => page.includes(fresh));
      if (landing >= 0 && held.pages.length > 1) {
        held.index = landing; // something new: show it where it landed, for a whole page's time
        moved.add(region.name);
      } else {
        held.index = Math.min(held.index, held.pages.length - 1);
        if (pagesBefore !== held.pages.length) moved.add(region.name);
      }
      held.fresh = [];
      showPage(region, held);
    }
    for (const region of regions()) {
      if (!shown.includes(region)) {
        region.pager.hidden = true;
        const held = paging.get(region.name);
        held.pages = [[]];
        held.index = 0;
      }
    }
    if (news.length) announce(news.join(" "));
    const turning = shown.some((region) => paging.get(region.name).pages.length > 1);
    if (!turning) {
      window.clearTimeout(timer);
      timer = null;
    } else if (timer === null || moved.size) {
      schedule(shown);
    }
  }

  function dwell(shown) {
    let words = 0;
    for (const region of shown) {
      words = Math.max(words, region.units().filter(isShown).reduce((sum, unit) => sum + wordsIn(unit), 0));
    }
    return Math.min(LONGEST, Math.max(SHORTEST, words * SECONDS_A_WORD * 1000));
  }

  function schedule(shown) {
    window.clearTimeout(timer);
    timer = window.setTimeout(turn, dwell(shown));
  }

  /** The next page of every list that has more than one, all at once. */
  function turn() {
    const shown = regions().filter((region) => region.node.checkVisibility());
    flip = !flip;
    for (const region of shown) {
      const held = paging.get(region.name);
      if (!held || held.pages.length < 2) continue;
      held.index = (held.index + 1) % held.pages.length;
      showPage(region, held);
      region.node.dataset.turned = flip ? "a" : "b"; // a gentle fade in, unless motion is reduced
    }
    schedule(shown);
  }

  return { fit };
}
