namespace Moddock.Doctor.Reporting;

internal enum CheckStatus
{
    Ok,
    Warn,
    Fail,
}
