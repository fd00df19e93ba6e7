#include "statsview.h"

#include "correlationkey.h"
#include "roundtripcharts.h"
#include "sessionstats.h"
#include "statsmodel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace wsprobe {

StatsView::StatsView(QWidget *parent)
    : QWidget(parent), m_model(new StatsModel(this)), m_table(new QTableView(this)),
      m_charts(new RoundTripCharts(this)), m_pairing(new QLabel(this)), m_export(new QPushButton(tr("Export…"), this))
{
    m_table->setObjectName(u"statsTable"_s);
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(StatsModel::FigureColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(StatsModel::ValueColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(StatsModel::UnitColumn, QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_pairing->setObjectName(u"statsPairing"_s);
    m_pairing->setWordWrap(true);
    m_export->setObjectName(u"exportStats"_s);
    m_export->setToolTip(tr("Save the figures as they are now, as CSV or JSON"));
    connect(m_export, &QPushButton::clicked, this, &StatsView::exportWithDialog);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_pairing, 1);
    bar->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"statsSplitter"_s);
    split->addWidget(m_table);
    split->addWidget(m_charts);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    m_timer.setInterval(DefaultRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &StatsView::refresh);
}

StatsView::~StatsView() = default;

void StatsView::setStats(SessionStats *stats)
{
    m_stats = stats;
    refresh();
    if (stats)
        m_timer.start();
    else
        m_timer.stop();
}

void StatsView::setRefreshInterval(int ms)
{
    m_timer.setInterval(qMax(ms, 100));
}

void StatsView::refresh()
{
    ++m_refreshes;
    if (!m_stats) {
        m_model->setFigures({});
        m_pairing->clear();
        return;
    }
    m_model->setFigures(m_stats->figures());
    m_charts->update(*m_stats);
    const CorrelationKey *key = m_stats->correlation();
    m_pairing->setText(key ? tr("Round trips pair messages by %1 (Settings tab).").arg(key->toString())
                           : tr("Round trips pair each sent message with the next one received "
                                "(Settings tab: \"Pair answers by\")."));
}

bool StatsView::exportTo(const QString &path, Format format, QString *error) const
{
    const StatsFigures figures = m_stats ? m_stats->figures() : m_model->figures();
    const QByteArray bytes = format == Format::Csv
        ? figures.toCsv()
        : QJsonDocument(figures.toJson()).toJson(QJsonDocument::Indented);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void StatsView::exportWithDialog()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export figures"), u"stats.csv"_s,
                                                      tr("CSV (*.csv);;JSON (*.json)"), &filter);
    if (path.isEmpty())
        return;
    const Format format = path.endsWith(u".json"_s, Qt::CaseInsensitive) || filter.startsWith(u"JSON"_s)
        ? Format::Json
        : Format::Csv;
    QString error;
    if (!exportTo(path, format, &error))
        QMessageBox::warning(this, tr("Export figures"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace wsprobe
