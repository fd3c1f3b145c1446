// Parses .ics files with ical.js (Thunderbird's parser) and prints what it understood as one JSON document,
// so the Python tests can check our calendar files against an independent reader.
//
//   node tests/js/parse_ics.mjs a.ics [b.ics ...]
//
// Each file's VTIMEZONEs are registered with ICAL.TimezoneService before its events are read, and removed
// again afterwards so that one file's zones never rescue another file that lacks them. A time that ical.js
// reads as floating (a TZID without a VTIMEZONE) has no instant: start_utc/end_utc are then null and tzid is
// "floating". All-day values are printed as dates ("2020-11-12"). Exits 1 with a message on a parse error.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function instant(time) {
  if (!time) return null;
  if (time.isDate) return time.toString();
  if (time.zone === ICAL.Timezone.localTimezone) return null;
  return time.toJSDate().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function person(property) {
  return {
    value: property.getFirstValue(),
    role: property.getParameter("role") ?? null,
    partstat: property.getParameter("partstat") ?? null,
    rsvp: property.getParameter("rsvp") ?? null,
  };
}

function readEvent(vevent) {
  const event = new ICAL.Event(vevent);
  const start = event.startDate;
  const text = (name) => vevent.getFirstPropertyValue(name) ?? null;
  return {
    uid: event.uid ?? null,
    summary: event.summary ?? null,
    sequence: text("sequence"),
    status: text("status"),
    start_utc: instant(start),
    end_utc: instant(event.endDate),
    tzid: start ? start.zone.tzid : null,
    organizer: text("organizer"),
    attendees: vevent.getAllProperties("attendee").map(person),
    location: text("location"),
    url: text("url"),
    description: text("description"),
    // RFC 5545 LANGUAGE of the texts, as ical.js reads the parameter
    summary_language: vevent.getFirstProperty("summary")?.getParameter("language") ?? null,
    description_language: vevent.getFirstProperty("description")?.getParameter("language") ?? null,
  };
}

function readFile(path) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  if (root.name !== "vcalendar") throw new Error(`the top component is ${root.name}, not VCALENDAR`);
  const registered = [];
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(zone);
    registered.push(zone.tzid);
  }
  try {
    return {
      path,
      method: root.getFirstPropertyValue("method") ?? null,
      events: root.getAllSubcomponents("vevent").map(readEvent),
    };
  } finally {
    for (const tzid of registered) ICAL.TimezoneService.remove(tzid);
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write("usage: node parse_ics.mjs FILE.ics [FILE.ics ...]\n");
  process.exit(2);
}
const files = [];
for (const path of paths) {
  try {
    files.push(readFile(path));
  } catch (error) {
    process.stderr.write(`ical.js could not read ${path}: ${error.message}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify({ files }, null, 2) + "\n");
