package io.herald.routing.topology;

import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.DeliveryState;
import io.herald.events.DigestSetting;
import io.herald.events.EventCancelled;
import io.herald.events.Priority;
import io.herald.events.StatusReported;
import io.herald.events.UserState;
import io.herald.routing.preference.ChannelDecision;
import io.herald.routing.preference.ChannelPreferences;
import io.herald.routing.quiethours.DeliveryTiming;
import io.herald.routing.quiethours.Timing;
import io.herald.routing.template.TemplateRenderer;
import io.herald.routing.topology.PendingDigest.DigestItem;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides what a due digest becomes (docs/adr/036), a pure function of the digest, the
 * user's state at flush time and the clock:
 * <ul>
 * <li>the user is gone (erased): {@link Outcome.Dropped};</li>
 * <li>the user's quiet hours are on: {@link Outcome.Held} until they end, as any
 * delivery;</li>
 * <li>otherwise one notification per channel with items the user's preferences still
 * allow (an item of a category turned off meanwhile, or of an event cancelled meanwhile,
 * is reported so and left out), rendered with the digest's template (the tenant's own
 * first, then the shared one, then {@value DigestSetting#DEFAULT_TEMPLATE}), its ids
 * derived from the digest's, so a digest sent again after a crash is sent once, and
 * naming the events it lists, so that delivery reports its statuses for each of them:
 * {@link Outcome.Sent}.</li>
 * </ul>
 */
final class DigestFlush {

	/** The reason of a digested item's {@code deferred} and {@code queued} statuses. */
	static final String DIGEST = "digest";

	private static final Logger logger = LoggerFactory.getLogger(DigestFlush.class);

	private final ChannelPreferences preferences = new ChannelPreferences();

	private final DeliveryTiming timing = new DeliveryTiming();

	private final TemplateRenderer templates;

	DigestFlush(TemplateRenderer templates) {
		this.templates = templates;
	}

	/**
	 * @param user the user's state now, {@code null} when the user is not known
	 * @param cancellations the cancellation of an event id, if this partition knows one
	 */
	Outcome flush(PendingDigest digest, @Nullable UserState user, Instant now,
			Function<String, @Nullable EventCancelled> cancellations) {
		if (user == null) {
			return new Outcome.Dropped();
		}
		Timing when = this.timing.decide(null, Priority.NORMAL, user.preferences().quietHours(),
				user.profile().timezone(), now);
		if (when instanceof Timing.Hold hold) {
			return new Outcome.Held(hold.until(), hold.reason(),
					statuses(digest, DeliveryState.DEFERRED, hold.reason(), hold.until(), now));
		}
		String digestId = digest.digestId();
		List<StatusReported> statuses = new ArrayList<>();
		Map<Channel, List<DigestItem>> byChannel = new LinkedHashMap<>();
		for (DigestItem item : digest.items()) {
			EventCancelled cancelled = cancellations.apply(item.eventId());
			for (Channel channel : item.channels()) {
				if (cancelled != null) {
					statuses.add(status(digest, item, channel, DeliveryState.CANCELLED, cancelled.reason(), null, now));
					continue;
				}
				String skipped = skipReason(item, channel, user);
				if (skipped != null) {
					statuses.add(status(digest, item, channel, DeliveryState.SUPPRESSED, skipped, null, now));
					continue;
				}
				byChannel.computeIfAbsent(channel, (c) -> new ArrayList<>()).add(item);
				statuses.add(status(digest, item, channel, DeliveryState.QUEUED, DIGEST, null, now));
			}
		}
		List<DeliverNotification> notifications = new ArrayList<>();
		byChannel.forEach((channel,
				items) -> notifications.add(new DeliverNotification(DeliverNotification.SCHEMA_VERSION, digest.tenant(),
						digestId, DeliverNotification.notificationId(digestId, digest.userId(), channel),
						digest.userId(), Priority.NORMAL, digest.pattern(), render(digest, user, channel, items),
						Map.of(), now, null)
					.withDigestOf(items.stream().map(DigestItem::eventId).toList())));
		return new Outcome.Sent(digestId, notifications, statuses, digest.items().size());
	}

	/** Why the user's preferences no longer let an item go to a channel, or null. */
	private @Nullable String skipReason(DigestItem item, Channel channel, UserState user) {
		for (ChannelDecision decision : this.preferences.decide(item.category(), Set.of(channel), user)) {
			if (decision instanceof ChannelDecision.Skip skip && skip.channel() == channel) {
				return skip.reason();
			}
		}
		return null;
	}

	private ChannelMessage render(PendingDigest digest, UserState user, Channel channel, List<DigestItem> items) {
		Map<String, @Nullable Object> model = model(digest, items);
		String locale = user.profile().locale();
		TemplateRenderer.Rendered rendered;
		try {
			rendered = this.templates.render(digest.tenant(), digest.template(), channel, locale, model);
		}
		catch (TemplateRenderer.UnknownTemplateException | TemplateRenderer.RenderFailedException ex) {
			logger.debug("Digest template {} of tenant {} not used: {}", digest.template(), digest.tenant(),
					ex.getMessage());
			rendered = fallback(digest, channel, locale, model, items.size());
		}
		return NotificationMessages.message(user, channel, rendered.title(), rendered.body(), rendered.html());
	}

	private TemplateRenderer.Rendered fallback(PendingDigest digest, Channel channel, @Nullable String locale,
			Map<String, @Nullable Object> model, int count) {
		if (!DigestSetting.DEFAULT_TEMPLATE.equals(digest.template())) {
			try {
				return this.templates.render(digest.tenant(), DigestSetting.DEFAULT_TEMPLATE, channel, locale, model);
			}
			catch (TemplateRenderer.UnknownTemplateException | TemplateRenderer.RenderFailedException ex) {
				// the literal text below
			}
		}
		String text = count + ((count == 1) ? " new notification" : " new notifications");
		return new TemplateRenderer.Rendered(text, text, null);
	}

	/**
	 * The template's model: {@code count}, {@code one} (whether the count is 1, for a
	 * singular), {@code items} (the first {@value PendingDigest#MAX_LISTED}, each with
	 * {@code title}, {@code body}, {@code category}, {@code eventId}), {@code more} (how
	 * many are not listed), {@code hasMore}, {@code category} (the digest's pattern).
	 */
	static Map<String, @Nullable Object> model(PendingDigest digest, List<DigestItem> items) {
		List<Map<String, Object>> listed = new ArrayList<>();
		for (DigestItem item : items) {
			if (listed.size() == PendingDigest.MAX_LISTED) {
				break;
			}
			listed.add(Map.of("title", item.title(), "body", item.body(), "category", item.category(), "eventId",
					item.eventId()));
		}
		int more = items.size() - listed.size();
		Map<String, @Nullable Object> model = new LinkedHashMap<>();
		model.put("count", items.size());
		model.put("one", items.size() == 1);
		model.put("items", listed);
		model.put("more", more);
		model.put("hasMore", more > 0);
		model.put("category", digest.pattern());
		return model;
	}

	private static List<StatusReported> statuses(PendingDigest digest, DeliveryState state, String reason,
			@Nullable Instant until, Instant now) {
		List<StatusReported> statuses = new ArrayList<>();
		for (DigestItem item : digest.items()) {
			item.channels()
				.forEach((channel) -> statuses.add(status(digest, item, channel, state, reason, until, now)));
		}
		return statuses;
	}

	private static StatusReported status(PendingDigest digest, DigestItem item, Channel channel, DeliveryState state,
			@Nullable String reason, @Nullable Instant until, Instant now) {
		return new StatusReported(StatusReported.SCHEMA_VERSION, digest.tenant(), item.eventId(), digest.userId(),
				channel, null, state, reason, until, null, null, now);
	}

	/** What a due digest becomes. */
	sealed interface Outcome {

		/** Its user is gone: nothing is sent. */
		record Dropped() implements Outcome {
		}

		/** Held until {@code until}, each item reported {@code deferred}. */
		record Held(Instant until, String reason, List<StatusReported> statuses) implements Outcome {
		}

		/**
		 * Sent: one notification per channel (none when every item was left out), and a
		 * status per item and channel.
		 *
		 * @param items how many items the digest held
		 */
		record Sent(String digestId, List<DeliverNotification> notifications, List<StatusReported> statuses,
				int items) implements Outcome {
		}

	}

}
