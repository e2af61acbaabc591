import { ref, watch, type WatchSource } from 'vue';

const FLASH_MS = 1600;

/**
 * Keys whose value changed since the last look, for a short while: the panels flash what just changed.
 * The first look flashes nothing (a page load is not a change).
 */
export function useFlash(source: WatchSource<Map<string, string>>) {
  const flashing = ref(new Set<string>());
  let previous: Map<string, string> | undefined;
  watch(
    source,
    (next) => {
      if (previous) {
        const changed = [...next].filter(([key, sig]) => previous!.get(key) !== sig).map(([key]) => key);
        if (changed.length) {
          flashing.value = new Set([...flashing.value, ...changed]);
          setTimeout(() => {
            const rest = new Set(flashing.value);
            for (const key of changed) rest.delete(key);
            flashing.value = rest;
          }, FLASH_MS);
        }
      }
      previous = next;
    },
    { immediate: true },
  );
  return flashing;
}
