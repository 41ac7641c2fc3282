package io.herald.routing.template.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.events.Channel;
import io.herald.events.TemplateTexts;
import io.herald.routing.template.TemplateRenderer;
import io.herald.routing.template.Templates;
import io.herald.routing.template.store.TemplateHead;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the template API answers with. A template has the shape of the body that
 * stores it, so what a client {@code PUT}s it {@code GET}s back: texts by locale, each
 * locale with its {@code title}, {@code body}, {@code html} and channel sections; absent
 * texts are left out.
 */
final class TemplateViews {

	private TemplateViews() {
	}

	/**
	 * A template or one of its versions.
	 *
	 * @param id the template id
	 * @param source {@code tenant} or {@code shared}
	 * @param version the version, {@code null} for a shared template (or a write not yet
	 * decided)
	 * @param updatedAt when it got this version
	 * @param locales the texts by locale
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record TemplateView(String id, String source, @Nullable Long version, @Nullable Instant updatedAt,
			Map<String, Map<String, Object>> locales) {

		static TemplateView of(String id, Templates.Source source, @Nullable Long version, @Nullable Instant updatedAt,
				Map<String, TemplateTexts> texts) {
			Map<String, Map<String, Object>> locales = new LinkedHashMap<>();
			texts.forEach((locale, localeTexts) -> locales.put(locale, locale(localeTexts)));
			return new TemplateView(id, source.wireName(), version, updatedAt, locales);
		}

	}

	/** One entry of {@code GET /v1/templates}. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Summary(String id, String source, @Nullable Long version, @Nullable Instant updatedAt,
			List<String> locales) {
	}

	/** {@code GET /v1/templates}: sorted by id. */
	record SummaryList(List<Summary> templates) {
	}

	/** {@code GET /v1/templates/{id}/versions}: the kept versions, newest first. */
	record VersionList(String id, long version, List<VersionEntry> versions) {

		static VersionList of(TemplateHead head) {
			List<VersionEntry> versions = head.versions()
				.reversed()
				.stream()
				.map((kept) -> new VersionEntry(kept.version(), kept.createdAt()))
				.toList();
			return new VersionList(head.templateId(), head.version(), versions);
		}

	}

	/** One kept version. */
	record VersionEntry(long version, Instant createdAt) {
	}

	/**
	 * A preview: what each channel would render.
	 *
	 * @param id the template previewed, {@code null} for an unsaved one
	 * @param source where it comes from, {@code null} for an unsaved one
	 * @param version the version previewed, {@code null} for a shared or unsaved one
	 * @param locale the locale asked for, {@code null} for the default
	 * @param channels each channel's message
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record PreviewView(@Nullable String id, @Nullable String source, @Nullable Long version, @Nullable String locale,
			Map<String, Map<String, String>> channels) {
	}

	/**
	 * What one channel shows: push and in-app a title and a body, email a subject, a body
	 * and an HTML body, SMS a body.
	 */
	static Map<String, String> message(Channel channel, TemplateRenderer.Rendered rendered) {
		Map<String, String> message = new LinkedHashMap<>();
		if (channel != Channel.SMS) {
			message.put("title", rendered.title());
		}
		message.put("body", rendered.body());
		if (channel == Channel.EMAIL && rendered.html() != null) {
			message.put("html", rendered.html());
		}
		return message;
	}

	private static Map<String, Object> locale(TemplateTexts texts) {
		Map<String, Object> locale = fields(texts.title(), texts.body(), texts.html());
		texts.channels()
			.forEach((channel, section) -> locale.put(channel.wireName(),
					fields(section.title(), section.body(), section.html())));
		return locale;
	}

	/** The texts that are there, in the order title, body, html. */
	private static Map<String, Object> fields(@Nullable String title, @Nullable String body, @Nullable String html) {
		Map<String, Object> fields = new LinkedHashMap<>();
		String[] names = { "title", "body", "html" };
		@Nullable String[] values = { title, body, html };
		for (int i = 0; i < names.length; i++) {
			if (values[i] != null) {
				fields.put(names[i], values[i]);
			}
		}
		return fields;
	}

}
