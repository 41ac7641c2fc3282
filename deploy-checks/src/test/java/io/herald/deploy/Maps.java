package io.herald.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Navigation in parsed YAML: nested maps, lists and scalars. A missing step gives an
 * empty map or list, or {@code null} for a scalar, so that the assertions name what is
 * missing.
 */
final class Maps {

	private Maps() {
	}

	/**
	 * The value as a map with string keys (YAML keys that are numbers or booleans become
	 * strings).
	 */
	static Map<String, Object> of(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			return Map.of();
		}
		Map<String, Object> result = new LinkedHashMap<>();
		map.forEach((key, entry) -> result.put(String.valueOf(key), entry));
		return result;
	}

	/** The value as a list, or an empty list if it is not one. */
	static List<Object> list(@Nullable Object value) {
		if (!(value instanceof List<?> list)) {
			return List.of();
		}
		return Collections.unmodifiableList(new ArrayList<Object>(list));
	}

	/** The value at a path of keys, or {@code null}. */
	static @Nullable Object at(Map<String, Object> map, String... path) {
		Object current = map;
		for (String key : path) {
			if (!(current instanceof Map<?, ?> step)) {
				return null;
			}
			current = step.get(key);
		}
		return current;
	}

	/** The map at a path of keys, or an empty map. */
	static Map<String, Object> map(Map<String, Object> map, String... path) {
		return of(at(map, path));
	}

	/** The list at a path of keys, or an empty list. */
	static List<Object> list(Map<String, Object> map, String... path) {
		return list(at(map, path));
	}

	/** The scalar at a path of keys as a string, or {@code null}. */
	static @Nullable String string(Map<String, Object> map, String... path) {
		Object value = at(map, path);
		return (value != null && !(value instanceof Map<?, ?>) && !(value instanceof List<?>)) ? value.toString()
				: null;
	}

}
