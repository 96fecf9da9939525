#!/usr/bin/python3
# The other side of the sync tests: python3-caldav (Debian's), an independent
# CalDAV client editing the server while Roster syncs. One command a run:
#
#   caldav-peer.py URL USER COMMAND ARGS...   (the password in CALDAV_PEER_PASSWORD)
#
#   lists                         JSON: [{"name", "path", "components"}] of every calendar
#   make-list NAME [COMPONENT]    a calendar for COMPONENT (VTODO); prints its path
#   add LIST UID SUMMARY          a VTODO in the calendar at path LIST; prints its path
#   edit LIST UID SUMMARY         sets the VTODO's SUMMARY
#   complete LIST UID             STATUS:COMPLETED
#   delete LIST UID               deletes it
#   todos LIST                    JSON: [{"uid", "summary", "status", "path"}], by UID
import json
import os
import sys
from urllib.parse import urlparse

import caldav


def path_of(url):
    return urlparse(str(url)).path


def main():
    url, user, command, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    client = caldav.DAVClient(url=url, username=user, password=os.environ['CALDAV_PEER_PASSWORD'])

    def calendar(path):
        return client.calendar(url=url.rstrip('/') + path)

    if command == 'lists':
        out = []
        for cal in client.principal().calendars():
            out.append({'name': cal.name, 'path': path_of(cal.url),
                        'components': sorted(cal.get_supported_components())})
        print(json.dumps(out))
    elif command == 'make-list':
        component = args[1] if len(args) > 1 else 'VTODO'
        cal = client.principal().make_calendar(name=args[0],
                                               supported_calendar_component_set=[component])
        print(path_of(cal.url))
    elif command == 'add':
        ical = ('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//caldav-peer//EN\r\n'
                'BEGIN:VTODO\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\n'
                'END:VTODO\r\nEND:VCALENDAR\r\n') % (args[1], args[2])
        todo = calendar(args[0]).save_todo(ical)
        print(path_of(todo.url))
    elif command in ('edit', 'complete', 'delete'):
        todo = calendar(args[0]).todo_by_uid(args[1])
        if command == 'delete':
            todo.delete()
            return
        component = todo.icalendar_component
        if command == 'edit':
            component['SUMMARY'] = args[2]
        else:
            component['STATUS'] = 'COMPLETED'
        todo.save()
    elif command == 'todos':
        out = []
        for todo in calendar(args[0]).todos(include_completed=True):
            component = todo.icalendar_component
            out.append({'uid': str(component['UID']), 'summary': str(component.get('SUMMARY', '')),
                        'status': str(component.get('STATUS', '')), 'path': path_of(todo.url)})
        print(json.dumps(sorted(out, key=lambda t: t['uid'])))
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main()
