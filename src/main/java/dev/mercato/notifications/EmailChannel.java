package dev.mercato.notifications;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Email over SMTP with Jakarta Mail, to the server {@code spring.mail.*} names. */
@Component
class EmailChannel implements NotificationChannel {

    private final MailProperties mail;
    private final NotificationsProperties properties;
    private final JavaMailSenderImpl sender;

    EmailChannel(MailProperties mail, NotificationsProperties properties) {
        this.mail = mail;
        this.properties = properties;
        this.sender = sender(mail, properties);
    }

    @Override
    public String type() {
        return Notification.EMAIL;
    }

    @Override
    public Optional<String> unavailableReason() {
        return mail.getHost() == null || mail.getHost().isBlank()
                ? Optional.of("No email provider is configured (spring.mail.host, or the smtp integration).")
                : Optional.empty();
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        Optional<String> unavailable = unavailableReason();
        if (unavailable.isPresent()) {
            throw new DeliveryException(unavailable.get(), true);
        }
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            helper.setFrom(new InternetAddress(properties.emailFrom(), true));
            helper.setTo(new InternetAddress(notification.recipient(), true));
            helper.setSubject(notification.subject());
            helper.setText(notification.message());
            // A stable id: a receiving server or mailbox can tell a resend after a crash from a new message.
            message.setHeader("X-Mercato-Notification-Id", notification.id());
            sender.send(message);
        } catch (MessagingException | MailParseException e) {
            throw new DeliveryException("The email could not be built: " + e.getMessage(), true);
        } catch (MailAuthenticationException e) {
            throw new DeliveryException("The SMTP server refused the credentials: " + e.getMessage(), false);
        } catch (MailSendException e) {
            throw new DeliveryException("The SMTP server did not take the email: " + rootMessage(e), e);
        } catch (MailException e) {
            throw new DeliveryException("Sending the email failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().trim();
    }

    private static JavaMailSenderImpl sender(MailProperties mail, NotificationsProperties properties) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(mail.getHost());
        if (mail.getPort() != null) {
            sender.setPort(mail.getPort());
        }
        sender.setUsername(mail.getUsername());
        sender.setPassword(mail.getPassword());
        sender.setProtocol(mail.getProtocol());
        sender.setDefaultEncoding(StandardCharsets.UTF_8.name());
        Properties javaMail = new Properties();
        String timeout = String.valueOf(properties.timeout().toMillis());
        javaMail.setProperty("mail.smtp.connectiontimeout", timeout);
        javaMail.setProperty("mail.smtp.timeout", timeout);
        javaMail.setProperty("mail.smtp.writetimeout", timeout);
        javaMail.putAll(mail.getProperties());
        sender.setJavaMailProperties(javaMail);
        return sender;
    }
}
