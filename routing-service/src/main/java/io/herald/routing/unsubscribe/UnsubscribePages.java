package io.herald.routing.unsubscribe;

import io.herald.support.unsubscribe.UnsubscribeLink;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

import java.nio.charset.StandardCharsets;

/**
 * The two small pages a person sees: the confirmation a link shows when opened
 * ({@code GET}), whose button sends the one-click {@code POST}, and the answer to that
 * {@code POST}. Self-contained HTML: no script, no external resource, forms only to this
 * origin, never framed, no referrer (the link is the credential), never cached.
 */
final class UnsubscribePages {

	/**
	 * What the pages may do (CSP): inline style and forms to this origin, nothing else.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; "
			+ "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	private static final String STYLE = """
			body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
			h1{font-size:1.3rem}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #1d4ed8;\
			background:#1d4ed8;color:#fff;cursor:pointer}form.other button{background:#fff;color:#1d4ed8}\
			form{margin:1rem 0}p.note{color:#55607a;font-size:.9rem}""";

	private UnsubscribePages() {
	}

	/**
	 * The confirmation page of a link.
	 * @param allEmailToken a signed link for all of the user's email, offered as a second
	 * choice, or {@code null}
	 */
	static ResponseEntity<String> confirm(UnsubscribeLink link, @Nullable String allEmailToken) {
		StringBuilder body = new StringBuilder();
		body.append("<h1>").append(question(link)).append("</h1>\n");
		body.append(form("", "Unsubscribe", ""));
		if (allEmailToken != null) {
			body.append(form(HtmlUtils.htmlEscape(allEmailToken), "Stop all email", "other"));
		}
		body.append("<p class=\"note\">Notifications in the app are not affected. You can turn email back on in your "
				+ "notification settings.</p>\n");
		return page("Unsubscribe", body.toString());
	}

	/** The answer to a one-click unsubscription, whatever became of it. */
	static ResponseEntity<String> done(UnsubscribeLink link) {
		return page("Unsubscribed", "<h1>You are unsubscribed</h1>\n<p>" + done(link.scope(), link.category())
				+ "</p>\n<p class=\"note\">You can turn email back on in your notification settings.</p>\n");
	}

	private static String question(UnsubscribeLink link) {
		return switch (link.scope()) {
			case CATEGORY_EMAIL -> "Stop emails about " + category(link.category()) + "?";
			case ALL_EMAIL -> "Stop all email?";
		};
	}

	private static String done(UnsubscribeLink.Scope scope, @Nullable String category) {
		return switch (scope) {
			case CATEGORY_EMAIL -> "You will no longer get emails about " + category(category) + ".";
			case ALL_EMAIL -> "You will no longer get email from us.";
		};
	}

	private static String category(@Nullable String category) {
		return "<strong>" + HtmlUtils.htmlEscape(String.valueOf(category)) + "</strong>";
	}

	/**
	 * A form that posts the one-click body to {@code action}, relative to this page; to
	 * the page itself when empty.
	 */
	private static String form(String action, String label, String className) {
		return "<form method=\"post\"" + (action.isEmpty() ? "" : " action=\"" + action + "\"")
				+ (className.isEmpty() ? "" : " class=\"" + className + "\"")
				+ " enctype=\"application/x-www-form-urlencoded\">" + "<input type=\"hidden\" name=\""
				+ OneClickBody.FIELD + "\" value=\"" + OneClickBody.VALUE + "\">" + "<button type=\"submit\">" + label
				+ "</button></form>\n";
	}

	private static ResponseEntity<String> page(String title, String body) {
		String html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				+ "<meta name=\"robots\" content=\"noindex\">\n<title>" + title + "</title>\n<style>" + STYLE
				+ "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
		return ResponseEntity.ok()
			.headers(headers())
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.body(html);
	}

	/** The headers of both pages. */
	static HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
		headers.set("Referrer-Policy", "no-referrer");
		headers.set("X-Content-Type-Options", "nosniff");
		headers.setCacheControl("no-store");
		return headers;
	}

}
