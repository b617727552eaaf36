import { useEffect, useState } from 'preact/hooks';

/** The app's current path and query (under `/app`), updated on navigation and back/forward. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = (): void => setUrl(new URL(location.href));
    addEventListener('popstate', update);
    addEventListener('sg:navigate', update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener('sg:navigate', update);
    };
  }, []);
  return url;
}

/** Moves to another page of the app without reloading it (History API). */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new Event('sg:navigate'));
  scrollTo(0, 0);
}

/** Click handler of in-app links: plain left clicks navigate in place; modified clicks keep the browser's way. */
export function onLinkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/app/');
}
