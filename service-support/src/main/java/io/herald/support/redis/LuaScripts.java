package io.herald.support.redis;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads Lua scripts from the class path once. A script built from a resource would check the
 * resource for changes on every call, which costs more than the script on a hot path.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/** The script at {@code scripts/<name>} on the class path. */
	public static <T> RedisScript<T> load(String name, Class<T> resultType) {
		try {
			String source = new ClassPathResource("scripts/" + name).getContentAsString(StandardCharsets.UTF_8);
			return RedisScript.of(source, resultType);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read Lua script " + name, ex);
		}
	}

}
