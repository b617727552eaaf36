/** The web app's entry: the page layout and the routes under /app. */
import { render } from 'preact';
import { AssessmentPage, AssessmentSubmissionPage } from './pages/assessment-page';
import { ChallengeListPage } from './pages/challenge-list-page';
import { ChallengePage } from './pages/challenge-page';
import { ComparePage } from './pages/compare-page';
import { EmbedPage } from './pages/embed-page';
import { InvitePage } from './pages/invite-page';
import { ReviewPage } from './pages/review-page';
import { ReviewSubmissionPage } from './pages/review-submission-page';
import { SubmissionPage } from './pages/submission-page';
import { navigate, onLinkClick, useLocation } from './lib/router';
import { useReviewerSession } from './lib/reviewer-session';
import { api } from './lib/api';

function Routes({ url }: { url: URL }) {
  const { session, refresh } = useReviewerSession();
  const path = url.pathname.replace(/\/+$/, '');
  let m: RegExpExecArray | null;
  if ((m = /^\/app\/challenges\/([^/]+)$/.exec(path)))
    return (
      <ChallengePage
        id={decodeURIComponent(m[1]!)}
        onSubmitted={(id) => navigate(`/app/submissions/${id}`)}
      />
    );
  if ((m = /^\/app\/submissions\/([^/]+)$/.exec(path)))
    return <SubmissionPage id={decodeURIComponent(m[1]!)} />;
  if ((m = /^\/app\/invites\/([^/]+)$/.exec(path))) return <InvitePage token={decodeURIComponent(m[1]!)} />;
  if (path === '/app/assessment') return <AssessmentPage />;
  if ((m = /^\/app\/assessment\/submissions\/([^/]+)$/.exec(path)))
    return <AssessmentSubmissionPage id={decodeURIComponent(m[1]!)} />;
  if (path === '/app/review') return <ReviewPage session={session} onSession={refresh} />;
  if ((m = /^\/app\/review\/submissions\/([^/]+)$/.exec(path)))
    return <ReviewSubmissionPage id={decodeURIComponent(m[1]!)} />;
  if (path === '/app/review/compare')
    return <ComparePage a={url.searchParams.get('a') ?? ''} b={url.searchParams.get('b') ?? ''} />;
  if (path === '/app' || path === '') return <ChallengeListPage />;
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <a href="/app/" onClick={onLinkClick}>
          Back to the challenges
        </a>
      </p>
    </>
  );
}

function App() {
  const url = useLocation();
  if (url.pathname.replace(/\/+$/, '') === '/app/embed')
    return (
      <main id="main" class="embed">
        <EmbedPage token={url.searchParams.get('token') ?? ''} />
      </main>
    );
  const signOut = async (): Promise<void> => {
    const s = await api<{ csrf_token: string }>('/v1/reviewer-session');
    await api('/v1/reviewer-session', { method: 'DELETE', headers: { 'X-CSRF-Token': s.csrf_token } });
    navigate('/app/review');
    location.reload();
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site">
        <nav aria-label="Main">
          <a href="/app/" onClick={onLinkClick} class="brand">
            Stackgrade
          </a>
          <a href="/app/" onClick={onLinkClick}>
            Challenges
          </a>
          <a href="/app/review" onClick={onLinkClick}>
            Reviewers
          </a>
          {url.pathname.startsWith('/app/review') && (
            <button type="button" class="link" onClick={() => void signOut()}>
              Sign out
            </button>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes url={url} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('root')!);
