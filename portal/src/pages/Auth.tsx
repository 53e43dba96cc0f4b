import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useMutation } from 'urql';
import { Problems, splitErrors, TextField, type UserError } from '../components/ui';
import { graphql } from '../graphql';
import { useSession } from '../session';

const SignUpMutation = graphql(`
  mutation PortalSignUp($input: SignUpInput!) {
    signUp(input: $input) { token errors { code message field } }
  }
`);

const LogInMutation = graphql(`
  mutation PortalLogIn($input: LogInInput!) {
    logIn(input: $input) { token errors { code message field retryAfterSeconds } }
  }
`);

/** Sign up (mode "up") or sign in (mode "in"); the API's errors appear next to their fields. */
export function AuthPage({ mode }: { mode: 'up' | 'in' }) {
  const { signIn } = useSession();
  const [, navigate] = useLocation();
  const [signUpState, signUp] = useMutation(SignUpMutation);
  const [logInState, logIn] = useMutation(LogInMutation);
  const [errors, setErrors] = useState<readonly UserError[]>([]);
  const state = mode === 'up' ? signUpState : logInState;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '');
    const result =
      mode === 'up'
        ? await signUp({ input: { email: value('email'), password: value('password'), handle: value('handle'), displayName: value('displayName') } }).then((r) => r.data?.signUp)
        : await logIn({ input: { email: value('email'), password: value('password') } }).then((r) => r.data?.logIn);
    if (!result) return;
    setErrors(result.errors);
    if (result.token) {
      signIn(result.token);
      navigate('/');
    }
  }

  const { byField, general } = splitErrors(errors);
  return (
    <section className="card narrow" aria-labelledby="auth-title">
      <h1 id="auth-title">{mode === 'up' ? 'Create your account' : 'Sign in'}</h1>
      <form onSubmit={submit} noValidate>
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={byField.get('email')} />
        {mode === 'up' && (
          <>
            <TextField label="Handle" name="handle" autoComplete="username" required hint="3 to 30 letters, digits or _" error={byField.get('handle')} />
            <TextField label="Display name" name="displayName" autoComplete="name" required error={byField.get('displayName')} />
          </>
        )}
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === 'up' ? 'new-password' : 'current-password'}
          required
          hint={mode === 'up' ? 'At least 10 characters' : undefined}
          error={byField.get('password')}
        />
        <Problems errors={general} failure={state.error} />
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? 'Please wait…' : mode === 'up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <p>
        {mode === 'up' ? (
          <>
            Already a member? <Link href="/signin">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/signup">Create an account</Link>
          </>
        )}
      </p>
    </section>
  );
}
