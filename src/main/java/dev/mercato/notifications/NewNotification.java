package dev.mercato.notifications;

/** A notification to accept: for a user, over a channel ({@code email|sms|push}), at a priority. */
record NewNotification(String userId, String type, String priority, String subject, String message, String source) {}
