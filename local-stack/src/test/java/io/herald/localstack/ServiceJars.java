package io.herald.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes an executable jar where the local stack looks for a module's jar, from one class
 * of the test classpath that needs nothing but the JDK.
 */
final class ServiceJars {

	private ServiceJars() {
	}

	static Path write(Path home, String module, Class<?> mainClass) throws IOException {
		Path jar = home.resolve(module).resolve("target").resolve(module + "-0.1.0-SNAPSHOT.jar");
		Files.createDirectories(jar.getParent());
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass.getName());
		String entry = mainClass.getName().replace('.', '/') + ".class";
		try (OutputStream file = Files.newOutputStream(jar);
				JarOutputStream out = new JarOutputStream(file, manifest);
				InputStream classFile = mainClass.getResourceAsStream("/" + entry)) {
			out.putNextEntry(new JarEntry(entry));
			classFile.transferTo(out);
			out.closeEntry();
		}
		return jar;
	}

}
