package io.herald.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import io.herald.infra.HeadlessChromium;
import io.herald.infra.sandbox.MailMessage;
import io.herald.infra.sandbox.MailSandbox;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox page with a real SMTP sandbox: every header of an email, in order, in
 * {@code messages.json} and on the page as Chromium renders it, and the one-click
 * unsubscribe button, which posts what a mailbox provider posts to the link (here a
 * server that records it; against routing: {@code PlatformEndToEndIntegrationTests}).
 */
class SandboxPageIntegrationTests {

	private static final String[] HEADERS = { "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type",
			"Content-Transfer-Encoding", "X-Herald-Event-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
			"DKIM-Signature" };

	private final List<String> posts = new CopyOnWriteArrayList<>();

	private MailSandbox mail;

	private SandboxPage page;

	private HttpServer links;

	@BeforeEach
	void start() throws IOException {
		this.mail = MailSandbox.start();
		this.page = new SandboxPage(0, Map.<String, Supplier<List<?>>>of("email", this.mail::messages));
		this.links = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.links.createContext("/v1/unsubscribe/", (exchange) -> {
			try (exchange) {
				this.posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
						+ exchange.getRequestHeaders().getFirst("Content-Type") + " "
						+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				byte[] body = "<!doctype html><title>Unsubscribed</title><h1>You are unsubscribed</h1>"
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/html");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		});
		this.links.start();
	}

	@AfterEach
	void stop() {
		this.page.close();
		this.mail.close();
		this.links.stop(0);
	}

	@Test
	void messagesJsonHoldsEveryHeaderInOrderAndTheOneClickLink() throws Exception {
		send(link());

		JsonNode email = JsonMapper.shared().readTree(get("/messages.json")).get("email").get(0);

		assertThat(email.get("allHeaders").valueStream().map((header) -> header.get("name").stringValue()))
			.containsSubsequence(HEADERS);
		assertThat(email.get("oneClickUnsubscribe").stringValue()).isEqualTo(link());
		assertThat(get("/")).contains("All headers").contains("Unsubscribe (one click)");
	}

	@Test
	void thePageShowsEveryHeaderAndItsButtonPostsTheOneClickBodyToTheLink() throws Exception {
		send(link());
		send(null);
		MailMessage withLink = this.mail.messages().get(0);
		try (HeadlessChromium chromium = HeadlessChromium.start()) {
			WebDriver browser = chromium.driver();
			browser.get(this.page.url() + "/");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> browser.findElements(By.cssSelector("#email article")).size() == 2);
			List<WebElement> articles = browser.findElements(By.cssSelector("#email article"));
			// Newest first: the email without a link, then the one with it.
			assertThat(articles.get(0).findElements(By.cssSelector("form.unsubscribe"))).isEmpty();
			WebElement article = articles.get(1);
			article.findElement(By.tagName("summary")).click();
			List<String> names = article.findElements(By.cssSelector("table.headers td.name"))
				.stream()
				.map(WebElement::getText)
				.toList();
			assertThat(names).containsSubsequence(HEADERS)
				.hasSize(withLink.allHeaders().size())
				.isEqualTo(withLink.allHeaders().stream().map(MailMessage.Header::name).toList());
			assertThat(article.findElement(By.cssSelector("table.headers")).getText())
				.contains("List-Unsubscribe-Post List-Unsubscribe=One-Click")
				.contains(withLink.messageId());
			// The page is rebuilt when mail arrives; the open list stays open.
			send(null);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> browser.findElements(By.cssSelector("#email article")).size() == 3);
			WebElement rebuilt = browser.findElements(By.cssSelector("#email article")).get(2);
			assertThat(rebuilt.findElement(By.tagName("details")).getAttribute("open")).isNotNull();

			rebuilt.findElement(By.cssSelector("form.unsubscribe button")).click();

			await().atMost(Duration.ofSeconds(30)).until(() -> !this.posts.isEmpty());
			assertThat(this.posts).containsExactly(
					"POST /v1/unsubscribe/token-1 application/x-www-form-urlencoded " + "List-Unsubscribe=One-Click");
		}
	}

	private String link() {
		return "http://127.0.0.1:" + this.links.getAddress().getPort() + "/v1/unsubscribe/token-1";
	}

	private void send(String link) throws Exception {
		Properties properties = new Properties();
		properties.put("mail.smtp.host", this.mail.host());
		properties.put("mail.smtp.port", Integer.toString(this.mail.port()));
		MimeMessage message = new MimeMessage(Session.getInstance(properties));
		message.setFrom(new InternetAddress("no-reply@herald.local"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress("ada@example.com"));
		message.setSubject("Spring sale");
		message.setText("Everything half price", "UTF-8");
		message.setHeader("X-Herald-Event-Id", "e-1");
		if (link != null) {
			message.setHeader("List-Unsubscribe", "<" + link + ">");
			message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
		}
		message.setHeader("DKIM-Signature", "v=1; a=rsa-sha256; d=herald.local; s=sandbox; h=from:to:subject; b=abc");
		Transport.send(message);
	}

	private String get(String path) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(this.page.url() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
	}

}
