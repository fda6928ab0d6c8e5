import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { useSession } from '../../session.tsx';

/** The programme's staff (names and roles), when the user may read it. */
export function useStaffList() {
  const { can, program } = useSession();
  return useQuery({
    queryKey: ['staff', program?.id],
    queryFn: async () => (await api.staff()).items,
    enabled: can('read:staff'),
    staleTime: 60_000,
  });
}
