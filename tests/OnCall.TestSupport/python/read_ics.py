"""Reads an iCalendar document on stdin with python3-icalendar (an independent parser) and prints its events as JSON."""
import json
import sys

from icalendar import Calendar

calendar = Calendar.from_ical(sys.stdin.read())
events = []
for event in calendar.walk("VEVENT"):
    events.append({
        "uid": str(event.get("UID")),
        "summary": str(event.get("SUMMARY")),
        "description": str(event.get("DESCRIPTION")),
        "start": event.decoded("DTSTART").isoformat(),
        "end": event.decoded("DTEND").isoformat(),
        "status": str(event.get("STATUS")),
        "sequence": int(event.get("SEQUENCE")),
        "transparency": str(event.get("TRANSP")),
        "lastModified": event.decoded("LAST-MODIFIED").isoformat(),
    })
print(json.dumps({"name": str(calendar.get("X-WR-CALNAME")), "events": events}))
