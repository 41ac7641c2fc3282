package io.herald.routing.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes template trees for tests. */
final class TemplateTrees {

	private TemplateTrees() {
	}

	/** Writes a file under a root, creating its directories; returns the file. */
	static Path write(Path root, String relativePath, String content) {
		Path file = root.resolve(relativePath);
		try {
			Files.createDirectories(file.getParent());
			return Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
