package dev.mercato.notifications;

import dev.mercato.integrations.IntegrationSettings;
import dev.mercato.integrations.UnreadableSecretsException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Email over SMTP with Jakarta Mail, to the server the smtp integration names (its stored settings over
 * {@code spring.mail.*}), read again for every delivery so a change needs no restart.
 */
@Component
class EmailChannel implements NotificationChannel {

    /** An SMTP reply's code, at the start of the message Jakarta Mail gives it. */
    private static final Pattern SMTP_REPLY = Pattern.compile("([2-5][0-9][0-9])[ -]");

    private final MailProperties mail;
    private final NotificationsProperties properties;
    private final IntegrationSettings integrations;
    /** The sender built for the settings last seen: rebuilt only when they change. */
    private final AtomicReference<Configured> current = new AtomicReference<>();

    private record Configured(IntegrationSettings.Smtp settings, JavaMailSenderImpl sender) {}

    EmailChannel(MailProperties mail, NotificationsProperties properties, IntegrationSettings integrations) {
        this.mail = mail;
        this.properties = properties;
        this.integrations = integrations;
    }

    @Override
    public String type() {
        return Notification.EMAIL;
    }

    @Override
    public String setting() {
        return "spring.mail.host";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return unavailableReason(integrations.smtp());
        } catch (UnreadableSecretsException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> unavailableReason(IntegrationSettings.Smtp smtp) {
        return smtp.configured()
                ? Optional.empty()
                : Optional.of("No email provider is configured (spring.mail.host, or the smtp integration).");
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        IntegrationSettings.Smtp smtp;
        try {
            smtp = integrations.smtp();
        } catch (UnreadableSecretsException e) {
            throw new DeliveryException(e.getMessage(), true);
        }
        Optional<String> unavailable = unavailableReason(smtp);
        if (unavailable.isPresent()) {
            throw new DeliveryException(unavailable.get(), true);
        }
        JavaMailSenderImpl sender = sender(smtp);
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            helper.setFrom(new InternetAddress(smtp.from() != null ? smtp.from() : properties.emailFrom(), true));
            helper.setTo(new InternetAddress(notification.recipient(), true));
            helper.setSubject(notification.subject());
            helper.setText(notification.message());
            // A stable id: a receiving server or mailbox can tell a resend after a crash from a new message.
            message.setHeader("X-Mercato-Notification-Id", notification.id());
            sender.send(message);
        } catch (MessagingException | MailParseException e) {
            throw new DeliveryException("The email could not be built: " + e.getMessage(), true);
        } catch (MailAuthenticationException e) {
            throw new DeliveryException("The SMTP server refused the credentials.", false);
        } catch (MailException e) {
            throw failure(e);
        }
    }

    /**
     * What went wrong, classified: the SMTP reply code when the server answered, else why it could not be reached;
     * never the server's own words or the exception's text (see {@link ProviderErrors}).
     */
    private DeliveryException failure(MailException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException unreachable) {
                return ProviderErrors.unreachable("The SMTP server", unreachable, properties.timeout());
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher reply = cause.getMessage() == null ? null : SMTP_REPLY.matcher(cause.getMessage());
            if (cause instanceof MessagingException && reply != null && reply.lookingAt()) {
                int code = Integer.parseInt(reply.group(1));
                String what = cause instanceof SendFailedException ? "the recipient" : "the email";
                return new DeliveryException("The SMTP server refused " + what + " (SMTP " + code + ").", code >= 500);
            }
        }
        return new DeliveryException("Sending the email failed (" + e.getClass().getSimpleName() + ").", false);
    }

    private JavaMailSenderImpl sender(IntegrationSettings.Smtp smtp) {
        Configured configured = current.get();
        if (configured == null || !configured.settings().equals(smtp)) {
            configured = new Configured(smtp, sender(smtp, mail, properties));
            current.set(configured);
        }
        return configured.sender();
    }

    private static JavaMailSenderImpl sender(
            IntegrationSettings.Smtp smtp, MailProperties mail, NotificationsProperties properties) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host());
        if (smtp.port() != null) {
            sender.setPort(smtp.port());
        }
        sender.setUsername(smtp.username());
        sender.setPassword(smtp.password());
        sender.setProtocol(mail.getProtocol());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties javaMail = new Properties();
        String timeout = String.valueOf(properties.timeout().toMillis());
        javaMail.setProperty("mail.smtp.connectiontimeout", timeout);
        javaMail.setProperty("mail.smtp.timeout", timeout);
        javaMail.setProperty("mail.smtp.writetimeout", timeout);
        javaMail.putAll(mail.getProperties());
        if (smtp.starttls() != null) {
            javaMail.setProperty("mail.smtp.starttls.enable", smtp.starttls().toString());
        }
        // Every connection, TLS from the start or not, goes over a socket the destination's guard checked; and
        // never over another socket when that one is refused.
        for (String protocol : new String[] {"smtp", "smtps"}) {
            javaMail.put("mail." + protocol + ".socketFactory", smtp.guard().socketFactory());
            javaMail.put("mail." + protocol + ".ssl.socketFactory", smtp.guard().socketFactory());
            javaMail.setProperty("mail." + protocol + ".socketFactory.fallback", "false");
        }
        sender.setJavaMailProperties(javaMail);
        return sender;
    }
}
