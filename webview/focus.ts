/**
 * Keeps the keyboard in the view: Tab past the last control comes back to the first, Shift+Tab
 * before the first goes to the last, instead of leaving the page for the editor beside it. Two
 * focusable sentinels at the ends of the page catch the focus as it would leave.
 */

const TABBABLE = 'a[href], summary, [tabindex="0"], vscode-button:not([disabled]), vscode-textfield:not([disabled]), vscode-single-select:not([disabled]), vscode-checkbox:not([disabled]), vscode-tab-header[tabindex="0"]';

function tabbable(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => !el.classList.contains('focus-sentinel') && el.getClientRects().length > 0 && !el.closest('[hidden], details:not([open]) > :not(summary)'));
}

export function keepFocusInView(): void {
  const make = (edge: 'start' | 'end') => {
    const el = document.createElement('span');
    el.tabIndex = 0;
    el.className = 'focus-sentinel';
    el.setAttribute('aria-hidden', 'true');
    el.dataset.edge = edge;
    return el;
  };
  const start = make('start');
  const end = make('end');
  document.body.prepend(start);
  document.body.append(end);
  start.addEventListener('focus', (e) => {
    const list = tabbable();
    // From outside the page (the editor tabbed into it) the focus goes to the first control; from inside, round to the last.
    (e.relatedTarget ? list[list.length - 1] : list[0])?.focus();
  });
  end.addEventListener('focus', (e) => {
    const list = tabbable();
    (e.relatedTarget ? list[0] : list[list.length - 1])?.focus();
  });
}
