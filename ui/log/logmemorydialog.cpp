#include "logmemorydialog.h"

#include "sessionmanager.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace {

constexpr qint64 MiB = qint64(1) << 20;
const auto LimitKey = u"log/memoryBudgetMiB"_s;
const auto FolderKey = u"log/spillFolder"_s;

} // namespace

LogMemoryDialog::LogMemoryDialog(SessionManager *sessions, QWidget *parent)
    : QDialog(parent)
    , m_sessions(sessions)
{
    setWindowTitle(tr("Log Memory"));
    const LogMemoryBudget &budget = sessions->logMemoryBudget();

    m_limitMiB = new QSpinBox(this);
    m_limitMiB->setObjectName(u"limitMiB"_s);
    m_limitMiB->setRange(0, 1024 * 1024);
    m_limitMiB->setSingleStep(256);
    m_limitMiB->setSuffix(tr(" MiB"));
    m_limitMiB->setSpecialValueText(tr("no limit"));
    m_limitMiB->setValue(int(budget.limit() / MiB));

    m_folder = new QLineEdit(budget.spillDirectory(), this);
    m_folder->setObjectName(u"spillFolder"_s);
    m_folder->setPlaceholderText(QDir::tempPath());
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for Log Payloads"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);

    m_usage = new QLabel(this);
    m_usage->setObjectName(u"usage"_s);

    auto *note = new QLabel(tr("Every event stays in the log. Past this much payload in RAM, for all "
                               "sessions together, the oldest payloads move to an unnamed file in the "
                               "folder below (deleted when wsprobe ends) and are read back from there: "
                               "scrolling, filters, the detail pane, assertions and exports work the "
                               "same. A session's \"Log keeps the last\" setting still drops old events "
                               "for good."), this);
    note->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Payloads kept in RAM:"), m_limitMiB);
    form->addRow(tr("Then moved to:"), folderRow);
    form->addRow(tr("Now:"), m_usage);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(form);
    layout->addWidget(buttons);

    auto *refresh = new QTimer(this);
    refresh->setInterval(500);
    connect(refresh, &QTimer::timeout, this, &LogMemoryDialog::refreshUsage);
    refresh->start();
    refreshUsage();
}

void LogMemoryDialog::refreshUsage()
{
    const QLocale locale;
    m_usage->setText(tr("%1 in RAM, %2 on disk")
                         .arg(locale.formattedDataSize(m_sessions->logMemoryBudget().used()),
                              locale.formattedDataSize(m_sessions->logBytesOnDisk())));
}

void LogMemoryDialog::accept()
{
    LogMemoryBudget &budget = m_sessions->logMemoryBudget();
    budget.setLimit(qint64(m_limitMiB->value()) * MiB);
    budget.setSpillDirectory(m_folder->text().trimmed());
    QSettings settings;
    settings.setValue(LimitKey, m_limitMiB->value());
    settings.setValue(FolderKey, budget.spillDirectory());
    QDialog::accept();
}

void LogMemoryDialog::applySaved(SessionManager *sessions)
{
    const QSettings settings;
    LogMemoryBudget &budget = sessions->logMemoryBudget();
    if (settings.contains(LimitKey))
        budget.setLimit(settings.value(LimitKey).toLongLong() * MiB);
    budget.setSpillDirectory(settings.value(FolderKey).toString());
}

} // namespace wsprobe
