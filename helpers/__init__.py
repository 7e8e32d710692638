"""Helper modules shared by the notebooks of the book.

One module per concept, each introduced in the chapter that first writes its Brian code
out in full. Dependencies run one way: checks of input -> models and rules -> protocols
-> experiments -> the explorer.

==========================  ==============================================================  =======
module                      concept                                                         chapter
==========================  ==============================================================  =======
``helpers.validation``      input checks whose messages say what to do                      all
``helpers.clock``           Brian's clock: steps in a run, times on the step grid            1
``helpers.monitors``        reading what Brian recorded; the relaxation model's exact        1
                            solution and the student's model stepped without Brian
``helpers.lif``             one leaky integrate-and-fire neuron in two unit systems, its     2
                            analytic period and what a time step does to it
``helpers.pacemakers``      the thread's ``dx/dt = rate`` pacemaker (``PACEMAKER_EQS``)      3
                            and the exact time steps at which it spikes
``helpers.events``          spike trains as time steps, replayed through a trace-based       4
                            plasticity rule in Brian's order (shared by the references)
``helpers.stdp``            the thread's pair rule: ``STDP_EQS``, ``PairRule``,              4
                            ``THREAD_RULE``, the STDP window and the event-by-event
                            reference
``helpers.beats``           the binaural-beat experiment: many pacemaker pairs with STDP     5
                            in one network
``helpers.live``            live figures computed in the reader's browser: the JavaScript    3, 4, 5
                            twin of ``pacemakers`` + ``stdp`` and the sliders that call it
``helpers.epsp``            the EPSP: its exact shape and a measurement in Brian             6
``helpers.pairing``         the pairing protocol for either rule, and what the pair rule     6
                            predicts for it
``helpers.triplet``         the triplet rule of Pfister and Gerstner (2006)                  7
``helpers.auditory``        where a binaural beat is made: tones, hair cells, nerve         8, 9
                            fibres, coincidence detectors; vector strength; STDP downstream
``helpers.sweeps``          sweeps of the beat experiment: chunks of conditions, run        10
                            serially or on a Dask cluster, gathered in an xarray Dataset
``helpers.style``           the book's figure style (``BOOK_STYLE``, a matplotlib style      all
                            file)
``helpers.checks``          exercise checks, one module per chapter                          all
                            (``from helpers.checks import ch01``)
==========================  ==============================================================  =======

Importing ``helpers`` changes no Brian preference and starts no simulation.
"""
