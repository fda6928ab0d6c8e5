// Who is signed in, the programme they are working in, and what they may do there.
// Menus, sections and buttons ask `can(permission)`; the server enforces the same rules.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnyPermission } from '../../core/access/roles.ts';
import { api, getProgramId, isApiError, setProgramId, type Me, type Program } from './api.ts';

export const ME_KEY = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: api.me,
    retry: (count, err) => !(isApiError(err) && err.status > 0 && err.status < 500) && count < 2,
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });
}

/** The signed-in state a screen can be in. */
export type AuthStep = 'loading' | 'signed-out' | 'mfa' | 'enrol' | 'password' | 'active';

export function authStep(me: Me | undefined, isPending: boolean, error: unknown): AuthStep {
  if (me) {
    if (me.stage === 'mfa_pending') return 'mfa';
    if (me.stage === 'mfa_setup') return 'enrol';
    if (me.user.mustChangePassword) return 'password';
    return 'active';
  }
  if (isPending) return 'loading';
  if (isApiError(error) && (error.status === 401 || error.status === 403)) return 'signed-out';
  return error ? 'signed-out' : 'loading';
}

type Session = {
  me: Me;
  program: Program | null;
  can: (p: AnyPermission) => boolean;
  switchProgram: (id: string) => void;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<string | null>(getProgramId);
  const program = me.programs.find((p) => p.id === chosen) ?? me.programs[0] ?? null;
  // The header must be right before any child query runs, so this happens during render.
  if (program && program.id !== getProgramId()) setProgramId(program.id);

  const switchProgram = useCallback(
    (id: string) => {
      setProgramId(id);
      setChosen(id);
      // Everything cached belongs to the previous programme.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    },
    [queryClient],
  );

  const value = useMemo<Session>(() => {
    // What the user may do in the programme chosen, and in the organisation (organisation settings).
    const permissions = new Set([...(program?.permissions ?? []), ...me.organization.permissions]);
    return { me, program, can: (p) => permissions.has(p), switchProgram };
  }, [me, program, switchProgram]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
