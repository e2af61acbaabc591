import { ref, shallowRef } from 'vue';
import type { ApiResult } from './api.js';

/** One API read with its loading and error states; `load` hands back the result so callers can react to 401. */
export function useResource<T>(loader: () => Promise<ApiResult<T>>) {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<ApiResult<T> | null> {
    if (loading.value) return null;
    loading.value = true;
    error.value = '';
    try {
      const result = await loader();
      if (result.ok) data.value = result.data;
      else error.value = result.error.message;
      return result;
    } finally {
      loading.value = false;
    }
  }

  function clear() {
    data.value = null;
    error.value = '';
  }

  return { data, loading, error, load, clear };
}
