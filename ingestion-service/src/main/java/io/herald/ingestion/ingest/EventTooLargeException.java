package io.herald.ingestion.ingest;

/** An event whose record would be larger than the event log accepts; it was not sent. */
class EventTooLargeException extends RuntimeException {

	EventTooLargeException(long recordBytes, long maxRecordBytes) {
		super("The event takes " + recordBytes + " bytes as a record of the event log, more than its limit of "
				+ maxRecordBytes + " bytes; nothing was accepted.", null, false, false);
	}

}
