package io.herald.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The system's headless Chromium, driven by the system's chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}): both paths are given to Selenium, so
 * Selenium Manager never looks for, let alone downloads, a browser or a driver. Each
 * instance runs with a fresh profile in a temporary directory, deleted by
 * {@link #close()}.
 *
 * <p>
 * Selenium is an optional dependency of local-infra: a module that drives Chromium
 * declares {@code selenium-java} itself, at test scope.
 */
public final class HeadlessChromium implements AutoCloseable {

	static final String DEFAULT_BINARY = "/usr/bin/chromium";

	static final String DEFAULT_DRIVER = "/usr/bin/chromedriver";

	private final ChromeDriver driver;

	private final Path profile;

	private HeadlessChromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Starts Chromium from {@code HERALD_CHROMIUM} and chromedriver from
	 * {@code HERALD_CHROMEDRIVER} (defaults {@value #DEFAULT_BINARY} and
	 * {@value #DEFAULT_DRIVER}).
	 * @throws IllegalStateException saying how to install them when either is missing
	 */
	public static HeadlessChromium start() throws IOException {
		File binary = executable("HERALD_CHROMIUM", DEFAULT_BINARY);
		File driverExecutable = executable("HERALD_CHROMEDRIVER", DEFAULT_DRIVER);
		Path profile = Files.createTempDirectory("herald-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(binary);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile);
		// The page's console, printed when a test fails.
		options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driverExecutable)
			.usingAnyFreePort()
			.build();
		try {
			return new HeadlessChromium(new ChromeDriver(service, options), profile);
		}
		catch (RuntimeException ex) {
			delete(profile);
			throw ex;
		}
	}

	/** The driver of this browser, for a test to open pages and find elements. */
	public ChromeDriver driver() {
		return this.driver;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			delete(this.profile);
		}
	}

	private static File executable(String variable, String defaultPath) {
		String configured = System.getenv(variable);
		Path path = Path.of((configured != null && !configured.isBlank()) ? configured : defaultPath);
		if (!Files.isExecutable(path)) {
			throw new IllegalStateException(
					path + " not found (set " + variable + "): apt-get install -y chromium chromium-driver");
		}
		return path.toFile();
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
