package io.herald.gateway.inbox;

import io.herald.events.Priority;
import io.herald.gateway.auth.CurrentUser;
import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.inbox.InboxCursors.Move;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The inbox over HTTP (API.md section 3), for the user of the request's token: pages of
 * history, the unread count, and the read and acknowledged cursors (the latter for SSE
 * clients, which cannot send {@code ack} frames).
 */
@RestController
class InboxController {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 100;

	private final Inbox inbox;

	private final Receipts receipts;

	InboxController(Inbox inbox, Receipts receipts) {
		this.inbox = inbox;
		this.receipts = receipts;
	}

	/**
	 * {@code GET /v1/inbox?before=<seq>&limit=50}: the newest notifications before
	 * {@code before}.
	 */
	@GetMapping("/v1/inbox")
	Page page(@RequestParam(required = false) @Nullable String before,
			@RequestParam(required = false) @Nullable String limit, HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		int count = (int) number(limit, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
		InboxState state = this.inbox.state(user.tenant(), user.userId());
		long beforeSeq = number(before, "before", 1, Long.MAX_VALUE, state.lastSeq() + 1);
		List<InboxEntry> entries = this.inbox.before(user.tenant(), user.userId(), beforeSeq, count);
		List<Item> items = entries.stream().map((entry) -> Item.of(entry, state.readUpTo())).toList();
		Long nextBefore = (!entries.isEmpty() && entries.get(entries.size() - 1).seq() > state.oldestSeq())
				? entries.get(entries.size() - 1).seq() : null;
		return new Page(items, state.lastSeq(), state.oldestSeq(), state.readUpTo(), state.unread(), nextBefore);
	}

	/** {@code GET /v1/inbox/unread-count}. */
	@GetMapping("/v1/inbox/unread-count")
	Unread unreadCount(HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		InboxState state = this.inbox.state(user.tenant(), user.userId());
		return new Unread(state.unread(), state.readUpTo(), state.lastSeq());
	}

	/**
	 * {@code POST /v1/inbox/read} with {@code {"upTo": 124}}: moves the read cursor
	 * forward.
	 */
	@PostMapping("/v1/inbox/read")
	Unread read(@RequestBody JsonNode body, HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		Move move = this.receipts.read(user.tenant(), user.userId(), upTo(body));
		return new Unread(move.unread(), move.readUpTo(), move.lastSeq());
	}

	/**
	 * {@code POST /v1/inbox/ack} with {@code {"upTo": 124}}: every seq up to it reached a
	 * device.
	 */
	@PostMapping("/v1/inbox/ack")
	Acknowledged ack(@RequestBody JsonNode body, HttpServletRequest request) {
		UserPrincipal user = CurrentUser.of(request);
		return new Acknowledged(this.receipts.acknowledge(user.tenant(), user.userId(), upTo(body)));
	}

	/**
	 * The body's seq. The body is required and read as any JSON (not as a map), so that a
	 * body that is not JSON, empty included, is {@code malformed_json} and JSON of
	 * another shape ({@code [5]}, {@code null}) is {@code invalid_request}.
	 */
	private static long upTo(JsonNode body) {
		JsonNode upTo = body.isObject() ? body.get("upTo") : null;
		if (upTo != null && upTo.isIntegralNumber() && upTo.canConvertToLong() && upTo.longValue() >= 0) {
			return upTo.longValue();
		}
		throw new ApiProblemException(ErrorCode.INVALID_REQUEST,
				"The body must be {\"upTo\": <seq>}, a seq being an integer of at least 0.");
	}

	private static long number(@Nullable String value, String name, long min, long max, long absent) {
		if (value == null) {
			return absent;
		}
		try {
			long number = Long.parseLong(value.strip());
			if (number >= min && number <= max) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new ApiProblemException(ErrorCode.INVALID_REQUEST, "'" + name + "' must be an integer from " + min
				+ ((max == Long.MAX_VALUE) ? " on." : " to " + max + "."));
	}

	/**
	 * A page of the inbox, newest first.
	 *
	 * @param notifications the notifications
	 * @param lastSeq the newest seq of the inbox
	 * @param oldestSeq the oldest seq still kept
	 * @param readUpTo the read cursor
	 * @param unread the kept notifications after the read cursor
	 * @param nextBefore the {@code before} of the next (older) page; {@code null} on the
	 * last page
	 */
	record Page(List<Item> notifications, long lastSeq, long oldestSeq, long readUpTo, long unread,
			@Nullable Long nextBefore) {
	}

	/**
	 * A notification with its seq, as the {@code notification} frame has it, and whether
	 * it is read.
	 */
	record Item(long seq, String id, String eventId, String category, Priority priority, String title, String body,
			Map<String, @Nullable Object> data, Instant createdAt, boolean read) {

		static Item of(InboxEntry entry, long readUpTo) {
			InboxNotification n = entry.notification();
			return new Item(entry.seq(), n.id(), n.eventId(), n.category(), n.priority(), n.title(), n.body(), n.data(),
					n.createdAt(), entry.seq() <= readUpTo);
		}

	}

	/**
	 * The read state.
	 *
	 * @param count the unread count
	 * @param readUpTo the read cursor
	 * @param lastSeq the newest seq of the inbox
	 */
	record Unread(long count, long readUpTo, long lastSeq) {
	}

	/**
	 * The acknowledged state.
	 *
	 * @param ackedUpTo every seq up to it reached a device of the user
	 */
	record Acknowledged(long ackedUpTo) {
	}

}
