package io.herald.systemtests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.herald.infra.HeadlessChromium;
import io.herald.infra.FreePorts;
import io.herald.localstack.DemoUserToken;
import io.herald.localstack.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo inbox page ({@code /demo/inbox.html}: {@code <HeraldInbox/>} of
 * {@code @herald/react} on the gateway's {@code herald-client.js}) in a real headless
 * Chromium against the real stack from the packaged jars: ingestion, routing and the
 * gateway, the stack shared with the hostile-input suites. Every test uses its own user,
 * so they share the stack and one browser but no state. Needs the system's
 * {@code chromium} and {@code chromium-driver} (see {@link HeadlessChromium}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(TwoTenantStackTests.ORDER)
class BrowserInboxIntegrationTests extends TwoTenantStackTests {

	/**
	 * Routing picks up its first events only once its stores are assigned; a cold stack
	 * takes a while.
	 */
	private static final Duration PIPELINE_READY = Duration.ofSeconds(120);

	/** From the POST to the page: routing and the gateway's inbox writer in between. */
	private static final Duration SHOWN = Duration.ofSeconds(60);

	private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

	private static final String ITEMS = ".herald-inbox [role=feed] > article.herald-inbox__item[data-seq]";

	private static final String BADGE = ".herald-inbox__badge";

	private static final String STATE = ".herald-inbox__state";

	private final HttpClient http = HttpClient.newHttpClient();

	private Service ingestion;

	private Service gateway;

	private HeadlessChromium chromium;

	private WebDriver browser;

	private String firstWindow;

	@BeforeAll
	void startBrowser() throws Exception {
		this.chromium = HeadlessChromium.start();
		this.browser = this.chromium.driver();
		this.firstWindow = this.browser.getWindowHandle();
		this.ingestion = stack.service("ingestion");
		this.gateway = stack.service("gateway");
		// One notification through the whole pipeline, so that the tests' own waits
		// measure the page.
		send("browser-warm-up", "Warm-up", "Routing is ready");
		await().atMost(PIPELINE_READY)
			.pollInterval(Duration.ofMillis(500))
			.ignoreExceptions()
			.untilAsserted(() -> assertThat(unreadCount("browser-warm-up")).isPositive());
	}

	@AfterAll
	void stopBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@BeforeEach
	void leaveThePreviousPage() {
		// A new fragment alone would not reload the page; about:blank also closes the
		// last test's connection.
		this.browser.switchTo().window(this.firstWindow);
		this.browser.get("about:blank");
	}

	@AfterEach
	void closeExtraWindowsAndPrintTheConsole(TestInfo test) {
		for (String window : this.browser.getWindowHandles()) {
			if (!window.equals(this.firstWindow)) {
				this.browser.switchTo().window(window).close();
			}
		}
		this.browser.switchTo().window(this.firstWindow);
		List<LogEntry> console = this.browser.manage().logs().get(LogType.BROWSER).getAll();
		console.forEach((entry) -> System.out.println(test.getDisplayName() + " console: " + entry));
	}

	@Test
	void showsANotificationSentAfterThePageLoadedAndRaisesTheUnreadBadge() throws Exception {
		openInbox("live-user", "");
		assertThat(unreadBadge()).isEqualTo("0");

		send("live-user", "Order shipped", "<b>Parcel</b> & co");

		awaitShown(1);
		WebElement item = this.browser.findElement(By.cssSelector(ITEMS));
		assertThat(item.getText()).contains("Order shipped").contains("<b>Parcel</b> & co");
		assertThat(item.findElements(By.tagName("b"))).as("notification text is never parsed as HTML").isEmpty();
		assertThat(item.getAttribute("data-read")).isEqualTo("false");
		assertThat(unreadBadge()).isEqualTo("1");

		send("live-user", "Second", "Another one");
		awaitShown(2);
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("2"));
		assertThat(this.browser.findElement(By.cssSelector(ITEMS)).getText()).as("newest first").contains("Second");
	}

	@Test
	void aKeyboardUserMarksOneNotificationReadAndHearsNewOnesAnnounced() throws Exception {
		openInbox("keyboard-user", "");
		send("keyboard-user", "Older", "First one");
		awaitShown(1);
		send("keyboard-user", "Newer", "Second one");
		awaitShown(2);
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("2"));

		WebElement feed = this.browser.findElement(By.cssSelector(".herald-inbox [role=feed]"));
		String heading = feed.getAttribute("aria-labelledby");
		assertThat(this.browser.findElement(By.id(heading)).getText()).startsWith("Inbox");
		assertThat(feed.getAttribute("aria-busy")).isEqualTo("false");
		assertThat(this.browser.findElement(By.cssSelector(".herald-inbox [aria-live=polite]"))
			.getAttribute("textContent")).isEqualTo("New notification: Newer");
		List<WebElement> items = this.browser.findElements(By.cssSelector(ITEMS));
		WebElement older = items.get(1);
		assertThat(this.browser.findElement(By.id(older.getAttribute("aria-labelledby"))).getText()).contains("Older");
		assertThat(older.getAttribute("aria-posinset")).isEqualTo("2");

		// From the article, Tab reaches its own "Mark read" button; Enter presses it.
		older.sendKeys(Keys.TAB);
		WebElement focused = this.browser.switchTo().activeElement();
		assertThat(focused.getText()).isEqualTo("Mark read");
		focused.sendKeys(Keys.ENTER);

		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("1"));
		await().atMost(SHOWN).ignoreExceptions().untilAsserted(() -> {
			List<WebElement> shown = this.browser.findElements(By.cssSelector(ITEMS));
			assertThat(shown.get(0).getAttribute("data-read")).as("Newer").isEqualTo("false");
			assertThat(shown.get(1).getAttribute("data-read")).as("Older").isEqualTo("true");
		});
		assertThat(unreadCount("keyboard-user")).isEqualTo(1);
	}

	@Test
	void theInboxTakesItsColoursFromHeraldCssVariables() throws Exception {
		openInbox("theme-user", "");
		send("theme-user", "Themed", "In the product's colours");
		awaitShown(1);
		// Set on an ancestor, as a product's theme does: the package's defaults must not
		// win over it.
		((JavascriptExecutor) this.browser)
			.executeScript("document.body.style.setProperty('--herald-accent', 'rgb(1, 2, 3)')");
		await().atMost(SHOWN)
			.untilAsserted(
					() -> assertThat(this.browser.findElement(By.cssSelector(BADGE)).getCssValue("background-color"))
						.isEqualTo("rgba(1, 2, 3, 1)"));
	}

	@Test
	void keepsNotificationsAcrossAReloadAndStaysLive() throws Exception {
		openInbox("reload-user", "");
		send("reload-user", "Before reload", "Kept in the inbox");
		awaitShown(1);

		this.browser.navigate().refresh();
		awaitOpen();
		assertThat(shownTexts()).singleElement().asString().contains("Before reload");
		assertThat(unreadBadge()).isEqualTo("1");

		send("reload-user", "After reload", "Live again");
		awaitShown(2);
		assertThat(shownTexts()).as("nothing shown twice").hasSize(2);
		assertThat(unreadBadge()).isEqualTo("2");
	}

	@Test
	void markingAllReadInOneTabClearsTheUnreadCountInAnother() throws Exception {
		openInbox("two-tabs-user", "");
		String first = this.browser.getWindowHandle();
		this.browser.switchTo().newWindow(WindowType.TAB);
		String second = this.browser.getWindowHandle();
		openInbox("two-tabs-user", "");

		send("two-tabs-user", "One", "First");
		send("two-tabs-user", "Two", "Second");
		awaitShown(2);
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("2"));
		this.browser.switchTo().window(first);
		awaitShown(2);
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("2"));

		this.browser.findElement(By.cssSelector(".herald-inbox__mark-all")).click();
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("0"));

		this.browser.switchTo().window(second);
		await().atMost(SHOWN).ignoreExceptions().untilAsserted(() -> {
			assertThat(unreadBadge()).isEqualTo("0");
			assertThat(this.browser.findElements(By.cssSelector(".herald-inbox__item[data-read=\"false\"]"))).isEmpty();
		});
		assertThat(unreadCount("two-tabs-user")).isZero();
	}

	@Test
	void showsALiveNotificationOverServerSentEvents() throws Exception {
		openInbox("sse-user", "&transport=sse");
		assertThat(this.browser.findElement(By.cssSelector(STATE)).getAttribute("data-transport")).isEqualTo("sse");

		send("sse-user", "Over SSE", "Streamed");

		awaitShown(1);
		assertThat(shownTexts()).singleElement().asString().contains("Over SSE");
		await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadBadge()).isEqualTo("1"));
	}

	@Test
	void aPageOnAnotherOriginUsesTheGatewayAcrossOrigins() throws Exception {
		try (OtherOrigin site = OtherOrigin.mirroring(this.gateway.url())) {
			String token = DemoUserToken.mint(stack.settings().demoTenant(), stack.settings().demoJwtSecret(),
					"cross-origin-user", Instant.now());
			// The inbox page comes from the other origin; the client, the REST calls
			// (with their preflights) and the WebSocket go to the gateway.
			this.browser.get(site.url() + "/demo/inbox.html#token=" + token + "&gateway=" + this.gateway.url());
			awaitOpen();
			send("cross-origin-user", "From afar", "Across origins");
			awaitShown(1);
			assertThat(shownTexts()).singleElement().asString().contains("From afar");

			this.browser.findElement(By.cssSelector(".herald-inbox__mark-all")).click();
			await().atMost(SHOWN).untilAsserted(() -> assertThat(unreadCount("cross-origin-user")).isZero());

			this.browser.get("about:blank");
			this.browser
				.get(site.url() + "/demo/inbox.html#token=" + token + "&transport=sse&gateway=" + this.gateway.url());
			awaitOpen();
			assertThat(this.browser.findElement(By.cssSelector(STATE)).getAttribute("data-transport")).isEqualTo("sse");
			send("cross-origin-user", "Streamed from afar", "Over SSE");
			awaitShown(2);
			assertThat(site.requests()).as("the page came from the other origin").contains("/demo/inbox.html");
		}
	}

	private void openInbox(String user, String options) {
		String token = DemoUserToken.mint(stack.settings().demoTenant(), stack.settings().demoJwtSecret(), user,
				Instant.now());
		this.browser.get(this.gateway.url() + "/demo/inbox.html#token=" + token + options);
		awaitOpen();
	}

	private void awaitOpen() {
		await().atMost(SHOWN)
			.ignoreExceptions()
			.untilAsserted(
					() -> assertThat(this.browser.findElement(By.cssSelector(STATE)).getText()).contains("open"));
	}

	private void awaitShown(int count) {
		await().atMost(SHOWN).ignoreExceptions().untilAsserted(() -> assertThat(shownTexts()).hasSize(count));
	}

	private List<String> shownTexts() {
		return this.browser.findElements(By.cssSelector(ITEMS)).stream().map(WebElement::getText).toList();
	}

	private String unreadBadge() {
		return this.browser.findElement(By.cssSelector(BADGE)).getText();
	}

	private void send(String user, String title, String body) throws Exception {
		String event = """
				{"type": "demo.hello", "recipients": {"users": ["%s"]}, "channels": ["inapp"],
				 "content": {"title": "%s", "body": "%s"}}""".formatted(user, title, body);
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(this.ingestion.url() + "/v1/events"))
				.header("Authorization", "Bearer demo-key")
				.header("Content-Type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(event))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
	}

	private int unreadCount(String user) throws Exception {
		String token = DemoUserToken.mint(stack.settings().demoTenant(), stack.settings().demoJwtSecret(), user,
				Instant.now());
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(this.gateway.url() + "/v1/inbox/unread-count"))
				.header("Authorization", "Bearer " + token)
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Matcher count = COUNT.matcher(response.body());
		assertThat(count.find()).as(response.body()).isTrue();
		return Integer.parseInt(count.group(1));
	}

	/**
	 * A web server on another origin (another port) that serves the demo page's files,
	 * fetched from the gateway, as a product's own web app would serve its pages.
	 */
	private static final class OtherOrigin implements AutoCloseable {

		private final HttpServer server;

		private final List<String> requests = new CopyOnWriteArrayList<>();

		private OtherOrigin(HttpServer server) {
			this.server = server;
		}

		static OtherOrigin mirroring(String gateway) throws IOException {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.find()), 0);
			OtherOrigin origin = new OtherOrigin(server);
			HttpClient http = HttpClient.newHttpClient();
			server.createContext("/demo/", (exchange) -> {
				String path = exchange.getRequestURI().getPath();
				origin.requests.add(path);
				try {
					HttpResponse<byte[]> file = http.send(
							HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(10)).build(),
							HttpResponse.BodyHandlers.ofByteArray());
					exchange.getResponseHeaders()
						.set("Content-Type",
								file.headers().firstValue("Content-Type").orElse("application/octet-stream"));
					exchange.sendResponseHeaders(file.statusCode(), file.body().length);
					exchange.getResponseBody().write(file.body());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					exchange.sendResponseHeaders(503, -1);
				}
				finally {
					exchange.close();
				}
			});
			server.start();
			return origin;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		List<String> requests() {
			return List.copyOf(this.requests);
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

}
