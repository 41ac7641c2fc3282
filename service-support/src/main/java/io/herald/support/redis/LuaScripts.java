package io.herald.support.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads Lua scripts from the class path once. A script built from a resource would check
 * the resource for changes on every call, which costs more than the script on a hot path.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/** The script at {@code scripts/<name>} on the class path. */
	public static <T> RedisScript<T> load(String name, Class<T> resultType) {
		return RedisScript.of(source(name), resultType);
	}

	/**
	 * One script made of several files under {@code scripts/}, in order: shared
	 * {@code local function} definitions first, then the script that calls them.
	 */
	public static <T> RedisScript<T> load(Class<T> resultType, String... names) {
		StringBuilder source = new StringBuilder();
		for (String name : names) {
			source.append(source(name)).append('\n');
		}
		return RedisScript.of(source.toString(), resultType);
	}

	private static String source(String name) {
		try {
			return new ClassPathResource("scripts/" + name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read Lua script " + name, ex);
		}
	}

}
