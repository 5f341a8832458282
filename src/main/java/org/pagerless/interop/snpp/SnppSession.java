package org.pagerless.interop.snpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.pagerless.intake.IntakeValidator;

/**
 * One SNPP (RFC 1861) conversation, as a state machine: each line in gives the reply lines out. Level 1
 * (PAGEr, MESSage, RESEt, SEND, QUIT, HELP) and the level 2 commands a hospital needs (LOGIn, LEVEl, SUBJect,
 * CALLerid, DATA); level 3 (two-way) is answered 500. Commands are matched on their first four letters, as the RFC
 * allows. No I/O here: {@link Gateway} signs in and sends.
 */
final class SnppSession {
    static final int MAX_MESSAGE = 160;
    static final int MAX_PAGERS = 10;
    static final int MAX_ERRORS = 5;

    /** What a session needs from the application. */
    interface Gateway {
        /** The system's id if the credentials sign in a hospital system. */
        Optional<String> signIn(String login, String password);

        /** Whether a bleep number, role or person of this id can be paged. */
        boolean knows(String pagerId);

        /** Sends one page; empty if accepted, else why not (a short reason for the 554 line). */
        Optional<String> send(String system, String pagerId, String message, String priority, String callback);
    }

    /** Reply lines and whether the connection closes after them. */
    record Reply(List<String> lines, boolean close) {
        static Reply of(String line) {
            return new Reply(List.of(line), false);
        }

        static Reply closing(String line) {
            return new Reply(List.of(line), true);
        }
    }

    private final Gateway gateway;
    private final String defaultCallback;
    private String system;
    private final List<String> pagers = new ArrayList<>();
    private String message;
    private String subject;
    private String callback;
    private String priority = "urgent";
    private int errors;
    private StringBuilder data;

    SnppSession(Gateway gateway, String defaultCallback) {
        this.gateway = gateway;
        this.defaultCallback = defaultCallback;
    }

    static String greeting() {
        return "220 Pagerless SNPP (RFC 1861) gateway ready";
    }

    /** A line longer than the server reads was dropped. */
    Reply tooLong() {
        return error("550 Error, Line Too Long");
    }

    Reply line(String line) {
        if (data != null) {
            return dataLine(line);
        }
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        String command = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        String verb = command.length() >= 4 ? command.substring(0, 4) : command;
        return switch (verb) {
            case "LOGI" -> login(argument);
            case "PAGE" -> page(argument);
            case "MESS" -> message(argument);
            case "DATA" -> startData();
            case "SUBJ" -> {
                subject = argument.isEmpty() ? null : argument;
                yield Reply.of("250 Message Subject OK");
            }
            case "LEVE" -> level(argument);
            case "CALL" -> callerId(argument);
            case "RESE" -> {
                reset();
                yield Reply.of("250 RESET OK");
            }
            case "SEND" -> send();
            case "QUIT" -> Reply.closing("221 OK, Goodbye");
            case "HELP" -> new Reply(List.of(
                    "214 LOGIn <system> <password>   sign in as a hospital system (required first)",
                    "214 PAGEr <bleep|role|staff id> up to " + MAX_PAGERS + " recipients",
                    "214 MESSage <text>              at most " + MAX_MESSAGE + " characters (or DATA)",
                    "214 SUBJect <text>  LEVEl <0-11>  CALLerid <number to call back>",
                    "214 SEND  RESEt  QUIT  HELP",
                    "250 End of Help Information"), false);
            case "2WAY", "PING", "EXPT", "NOQU", "ACKR", "RTYP", "MCRE", "MSTA", "KTAG", "ALER", "HOLD", "COVE" ->
                error("500 Command Not Implemented");
            default -> error("500 Command Not Recognized");
        };
    }

    private Reply login(String argument) {
        String[] parts = argument.split("\\s+", 2);
        if (parts[0].isEmpty()) {
            return error("550 Error, Invalid Login: LOGIn <system> <password>");
        }
        Optional<String> signedIn = gateway.signIn(parts[0], parts.length > 1 ? parts[1] : "");
        if (signedIn.isEmpty()) {
            return error("550 Error, Invalid Login");
        }
        system = signedIn.get();
        return Reply.of("250 Login Accepted");
    }

    private Reply page(String argument) {
        if (system == null) {
            return error("550 Error, LOGIn Required First");
        }
        // A role name may hold spaces ("Medical SHO On-Call"); otherwise the last word may be a PIN (ignored).
        String pagerId = gateway.knows(argument) ? argument : argument.split("\\s+")[0];
        if (pagerId.isEmpty() || !gateway.knows(pagerId)) {
            return error("550 Error, Invalid Pager ID");
        }
        if (pagers.size() >= MAX_PAGERS) {
            return error("552 Maximum Entries Exceeded");
        }
        pagers.add(pagerId);
        return Reply.of("250 Pager ID Accepted");
    }

    private Reply message(String text) {
        if (message != null) {
            return error("503 Error, Message Already Entered");
        }
        return acceptMessage(text);
    }

    private Reply acceptMessage(String text) {
        if (text.isBlank()) {
            return error("550 Error, Invalid Message: it is empty");
        }
        if (text.length() > MAX_MESSAGE) {
            return error("550 Error, Message Too Long: at most " + MAX_MESSAGE + " characters");
        }
        message = text;
        return Reply.of("250 Message OK");
    }

    private Reply startData() {
        if (message != null) {
            return error("503 Error, Message Already Entered");
        }
        data = new StringBuilder();
        return Reply.of("354 Begin Input; End with <CRLF>'.'<CRLF>");
    }

    private Reply dataLine(String line) {
        if (line.equals(".")) {
            String text = data.toString().strip();
            data = null;
            return acceptMessage(text);
        }
        // Dot-stuffing: a line starting with "." was sent as "..".
        String unstuffed = line.startsWith("..") ? line.substring(1) : line;
        if (data.length() + unstuffed.length() > MAX_MESSAGE * 4) {
            data = null;
            return error("550 Error, Message Too Long: at most " + MAX_MESSAGE + " characters");
        }
        data.append(data.length() == 0 ? "" : " ").append(unstuffed.strip());
        return new Reply(List.of(), false);
    }

    /** RFC 1861 service levels: 0 priority, 1 normal, 2 within five minutes, 3 fifteen, 4 and more an hour or longer. */
    private Reply level(String argument) {
        try {
            int level = Integer.parseInt(argument.strip());
            if (level < 0 || level > 11) {
                throw new NumberFormatException();
            }
            priority = level == 0 ? "stat" : level == 2 ? "asap" : level <= 3 ? "urgent" : "routine";
            return Reply.of("250 OK, Alternate Service Level Accepted");
        } catch (NumberFormatException e) {
            return error("550 Error, Invalid Service Level");
        }
    }

    private Reply callerId(String argument) {
        if (!IntakeValidator.isCallback(argument)) {
            return error("550 Error, Invalid Caller ID: digits, +, #, spaces");
        }
        callback = argument;
        return Reply.of("250 Caller ID Accepted");
    }

    private Reply send() {
        if (pagers.isEmpty() || message == null) {
            return error("503 Error, Pager ID or Message Incomplete");
        }
        String text = subject == null ? message : subject + ": " + message;
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE);
        }
        List<String> failed = new ArrayList<>();
        for (String pager : pagers) {
            gateway.send(system, pager, text, priority, callback == null ? defaultCallback : callback)
                    .ifPresent(reason -> failed.add(pager + ": " + reason));
        }
        reset();
        if (!failed.isEmpty()) {
            return error("554 Error, failed: " + String.join("; ", failed));
        }
        return Reply.of("250 Message Sent Successfully");
    }

    private void reset() {
        pagers.clear();
        message = null;
        subject = null;
        callback = null;
        priority = "urgent";
        data = null;
    }

    private Reply error(String line) {
        if (++errors >= MAX_ERRORS) {
            return new Reply(List.of(line, "421 Too Many Errors, Goodbye"), true);
        }
        return Reply.of(line);
    }
}
