namespace MonitorService.Accounts;

/// <summary>A refused request about teams or tokens (a bad name), with a message written for the person who made it.</summary>
public sealed class AccountRequestException(string message) : Exception(message);
