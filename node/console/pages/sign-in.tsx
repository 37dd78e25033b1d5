/** The sign-in page. */
import { Layout } from './layout.js';

export function SignInPage(props: { ori: string; error?: string | undefined; login?: string }) {
  return (
    <Layout title="Sign in" ori={props.ori}>
      <form method="post" action="/console/sign-in">
        {props.error ? (
          <p class="error" id="sign-in-error" role="alert">
            {props.error}
          </p>
        ) : null}
        <label for="login">Login</label>
        <input id="login" name="login" value={props.login ?? ''} autocomplete="username" required />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <div>
          <button type="submit" id="sign-in">
            Sign in
          </button>
        </div>
      </form>
    </Layout>
  );
}
